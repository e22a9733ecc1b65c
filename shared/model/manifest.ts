import { InputError } from './errors';
import { expectArray, expectNonEmptyString, expectRecord, expectString } from './fields';

/**
 * One line of jobs/<jobId>/manifests/<mapperId>/matches-<part>.jsonl: a match cast for one set of columns.
 * `values` are canonical text for each column's type, in the order of `match_columns`.
 * The Athena manifest table reads the same lines (job and mapper come from the path). No hash: the
 * find joins need the values only, and the match accounts name each match by hash.
 */
export interface ManifestRow {
  match_columns: string;
  values: string[];
}

export function parseManifestRow(input: unknown, where: string): ManifestRow {
  const r = expectRecord(input, where);
  const values = expectArray(r.values, `${where}.values`).map((v, i) => expectString(v, `${where}.values[${i}]`));
  const columns = expectNonEmptyString(r.match_columns, `${where}.match_columns`);
  if (values.length !== columns.split(',').length) throw new InputError(`${where}: ${values.length} values for columns "${columns}"`);
  return { match_columns: columns, values };
}

export function parseManifest(text: string, where: string): ManifestRow[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line, i) => parseManifestRow(JSON.parse(line), `${where} line ${i + 1}`));
}
