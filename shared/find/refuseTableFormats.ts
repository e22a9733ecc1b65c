import { InputError } from '../model/errors';
import { segmentsUnder } from '../model/isDataObject';

/**
 * Refuses a location that holds a Delta, Iceberg or Hudi table, before anything changes. Those
 * formats keep their own metadata beside the data files (which files are live, their statistics,
 * row-level deletes); rewriting a data file underneath it would corrupt the table or leave the old
 * rows reachable through its history.
 */
export function refuseTableFormats(mapperId: string, location: string, listed: readonly string[]): void {
  for (const uri of listed) {
    const segments = segmentsUnder(location, uri);
    if (!segments) continue;
    const folders = segments.slice(0, -1);
    const name = segments[segments.length - 1]!;
    const kind = folders.includes('_delta_log')
      ? 'Delta'
      : folders.includes('.hoodie')
        ? 'Hudi'
        : folders.includes('metadata') && name.endsWith('.metadata.json')
          ? 'Iceberg'
          : undefined;
    if (kind) {
      throw new InputError(
        `mapper "${mapperId}": ${location} holds a ${kind} table (${uri}): this release does not erase inside Delta, Iceberg or Hudi tables`,
        { mapperId },
      );
    }
  }
}
