import { open } from 'node:fs/promises';
import { ParquetFooterError, readParquetFooter } from '../parquet/readParquetFooter';
import { COLUMN_CHUNK, readRowGroupPlaces, RowGroupPlace, UnsupportedParquetLayoutError } from '../parquet/readRowGroupPlaces';
import { ThriftDecodeError, ThriftStruct } from '../parquet/thriftCompact';
import { fieldValue, integerField, structField } from '../parquet/thriftFields';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { PartialSourceFile } from './partialSourceFile';

/** Most footers fit in this; a longer one costs a second read. */
const TAIL_BYTES = 64 * 1024;
const COLUMN_METADATA_TYPE = 1;
const COLUMN_METADATA_PATH = 3;
const INT96 = 3;

/**
 * Makes a partial source hold what the rewrite reads before it knows which row groups hold a match:
 * the leading magic, the footer, and in every row group the column chunks of the match columns (the
 * scan for deleted rows and the output check read those) and of INT96 columns (refuseInexactInt96
 * reads them whole). A footer lethe's reader refuses gets the whole object fetched: the rewrite then
 * goes on as over a download, and DuckDB says what it makes of the file.
 */
export async function fetchParquetScanBytes(source: PartialSourceFile, matchSets: readonly MatchColumnSet[]): Promise<void> {
  await source.fetch([
    { offset: 0, length: 4 },
    { offset: source.size - TAIL_BYTES, length: TAIL_BYTES },
  ]);
  const footerLength = await readFooterLength(source);
  if (footerLength === undefined) return source.fetchAll();
  await source.fetch([{ offset: source.size - 8 - footerLength, length: footerLength }]);
  let places: RowGroupPlace[];
  try {
    const footer = await readParquetFooter(source.file);
    places = readRowGroupPlaces(footer.metadata, footer.offset);
  } catch (error) {
    if (error instanceof ParquetFooterError || error instanceof ThriftDecodeError || error instanceof UnsupportedParquetLayoutError) return source.fetchAll();
    throw error;
  }
  // DuckDB resolves column names without regard to case; reading a column too many costs only bytes.
  const matchColumns = new Set(matchSets.flatMap((set) => set.columns.map((column) => column.path[0]!.toLowerCase())));
  const scanned = places.flatMap((place) => place.chunks.filter((chunk) => isScanned(chunk.chunk, matchColumns)).map((chunk) => chunk.pages));
  await source.fetch(scanned);
}

/** The FileMetaData length from the last 8 bytes, or undefined when they are not a Parquet tail. */
async function readFooterLength(source: PartialSourceFile): Promise<number | undefined> {
  if (source.size < 12) return undefined;
  const handle = await open(source.file, 'r');
  try {
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, source.size - 8);
    const length = tail.readUInt32LE(0);
    return tail.subarray(4).toString('latin1') === 'PAR1' && length <= source.size - 12 ? length : undefined;
  } finally {
    await handle.close();
  }
}

function isScanned(chunk: ThriftStruct, matchColumns: ReadonlySet<string>): boolean {
  const metaData = structField(chunk, COLUMN_CHUNK.metaData, 'column chunk');
  if (!metaData) return true;
  if (integerField(metaData, COLUMN_METADATA_TYPE, 'ColumnMetaData') === BigInt(INT96)) return true;
  const path = fieldValue(metaData, COLUMN_METADATA_PATH);
  const top = path?.type === 'list' ? path.values[0] : undefined;
  if (top?.type !== 'binary') return true;
  return matchColumns.has(new TextDecoder().decode(top.value).toLowerCase());
}
