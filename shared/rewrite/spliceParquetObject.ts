import { DuckDBConnection } from '@duckdb/node-api';
import * as path from 'node:path';
import { quoteLiteral } from '../duckdb/sqlText';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { LetheError } from '../model/errors';
import { assembleParquetFile, copyBase, RowGroupPiece } from '../parquet/assembleParquetFile';
import { describeSchemaDifference } from '../parquet/describeSchemaDifference';
import { findChangedRowGroupBytes, KeptRowGroup } from '../parquet/findChangedRowGroupBytes';
import { TouchedRowGroup } from '../parquet/planRowGroupSplice';
import { ParquetFooter, ParquetFooterError, readParquetFooter } from '../parquet/readParquetFooter';
import { ByteRange, FILE_METADATA, readRowGroupPlaces, RowGroupPlace, UnsupportedParquetLayoutError } from '../parquet/readRowGroupPlaces';
import { ThriftDecodeError } from '../parquet/thriftCompact';
import { integerField, structField, structListField } from '../parquet/thriftFields';
import { buildKeepRowsClause } from './buildKeepRowsClause';
import { readDuckDbFile } from './readDuckDbFile';
import { copyWithinMemory } from './retryOnOneThread';
import { FormatRewriteRequest } from './rewriteRequest';
import { PartialSourceFile } from './partialSourceFile';
import { subtractRanges } from '../model/byteRanges';
import { settleAll } from '../concurrency/settleAll';

export interface SpliceInput {
  /** Rows of each row group as DuckDB read the footer: the plan's frame, which lethe's footer reader must agree with. */
  rowGroupRows: readonly number[];
  touched: readonly TouchedRowGroup[];
  /** The match predicate over alias `t` (the same the full rewrite filters by). */
  predicate: string;
  /** The SELECT list the full rewrite uses, so a re-encoded group has the full rewrite's types. */
  selectList: string;
  /** The full rewrite's COPY options: codec, row-group size, field ids. */
  copyOptions: string;
  /** The source's largest row group, uncompressed: what re-encoding one holds per thread. */
  largestRowGroupBytes: number;
}

export type SpliceOutcome =
  | {
      kind: 'spliced';
      physicalChanges: string[];
      unchangedRanges: ByteRange[];
      /**
       * The byte-for-byte check of the kept row groups, for the caller to run before the output is
       * used (beside its own read-back, which it does not touch). It throws when a kept chunk differs,
       * and returns the output's SHA-256 made in the same read (none when the request does not ask for
       * it, or the source was partly read).
       */
      checkKeptRowGroups: () => Promise<{ outputSha256?: string }>;
    }
  | { kind: 'refused'; reason: string };

/**
 * Writes `request.outputFile` as the source's untouched row groups byte for byte, each touched group
 * re-encoded by DuckDB without its deleted rows, and the source's footer with new offsets. Refuses
 * (writing nothing the caller keeps) when the footer cannot be moved or DuckDB's schema for a
 * re-encoded group is not the source's; the caller then rewrites the whole file. The copies are
 * checked byte for byte against the source by the outcome's checkKeptRowGroups, in a read of the
 * output that also hashes it.
 */
export async function spliceParquetObject(connection: DuckDBConnection, request: FormatRewriteRequest, input: SpliceInput): Promise<SpliceOutcome> {
  const source = await readMovableFooter(request.inputFile);
  if ('reason' in source) return { kind: 'refused', reason: `the source footer: ${source.reason}` };
  const rows = source.places.map((place) => place.rows);
  if (rows.join(',') !== input.rowGroupRows.join(',')) {
    return { kind: 'refused', reason: `the source footer's row groups (${rows.length}) do not hold the rows DuckDB reads in them (${input.rowGroupRows.length} groups)` };
  }
  const held = request.partialInput ? await fetchSpliceBytes(request.partialInput, source.places, input.touched) : undefined;
  // The output starts as a copy of the source, its kept row groups where they are: the kernel copies
  // it while DuckDB re-encodes the touched groups.
  const [planned] = await settleAll([reencodeTouchedGroups(connection, request, source, input), copyBase({ file: request.inputFile, ...(held ? { held } : {}) }, request.outputFile)]);
  if ('reason' in planned) return { kind: 'refused', reason: planned.reason };
  const { pieces, kept, changes } = planned;
  await assembleParquetFile({ metadata: source.footer.metadata, pieces, outputFile: request.outputFile, base: { file: request.inputFile, places: source.places } });
  const [dropped, reencoded] = [input.touched.filter((group) => group.deletedRows.length === group.rows), input.touched.filter((group) => group.deletedRows.length < group.rows)];
  const groups = (list: readonly TouchedRowGroup[]) => `row group${list.length === 1 ? '' : 's'} ${list.map((group) => group.index).join(', ')}`;
  const what = [
    ...(reencoded.length > 0 ? [`${groups(reencoded)} of ${source.places.length} re-encoded by DuckDB`] : []),
    ...(dropped.length > 0 ? [`${groups(dropped)} of ${source.places.length} dropped (every row matched)`] : []),
  ];
  return {
    kind: 'spliced',
    checkKeptRowGroups: () => checkKeptRowGroups(request, source.places, kept, held),
    // The output began as a copy of the source, so its magic and each kept group's span are where they were.
    unchangedRanges: [LEADING_MAGIC, ...kept.map(({ sourceIndex }) => source.places[sourceIndex]!.span)],
    physicalChanges: [
      `row-group splice: ${what.join(', ')}, the other ${kept.length} copied byte for byte`,
      ...changes,
    ],
  };
}

const LEADING_MAGIC: ByteRange = { offset: 0, length: 4 };

/**
 * The output's row groups in order: each kept group from the source, each touched one re-encoded
 * by DuckDB without its deleted rows (none when every row goes). A reason instead when DuckDB's
 * re-encoding cannot take the source's place.
 */
async function reencodeTouchedGroups(
  connection: DuckDBConnection,
  request: FormatRewriteRequest,
  source: { footer: ParquetFooter; places: RowGroupPlace[] },
  input: SpliceInput,
): Promise<{ pieces: RowGroupPiece[]; kept: { sourceIndex: number; outputIndex: number }[]; changes: string[] } | { reason: string }> {
  const schema = structListField(source.footer.metadata, FILE_METADATA.schema, 'FileMetaData') ?? [];
  const pieces: RowGroupPiece[] = [];
  const kept: { sourceIndex: number; outputIndex: number }[] = [];
  const changes: string[] = [];
  const touched = new Map(input.touched.map((group) => [group.index, group]));
  for (const [index, place] of source.places.entries()) {
    const group = touched.get(index);
    if (!group) {
      kept.push({ sourceIndex: index, outputIndex: pieces.length });
      pieces.push({ file: request.inputFile, place });
      continue;
    }
    if (group.deletedRows.length === group.rows) continue;
    const encodedFile = await reencodeRowGroup(connection, request, source.footer, place, group, input);
    const encoded = await readMovableFooter(encodedFile);
    if ('reason' in encoded) return { reason: `DuckDB's re-encoding of row group ${index}: ${encoded.reason}` };
    const difference = describeSchemaDifference(schema, structListField(encoded.footer.metadata, FILE_METADATA.schema, 'FileMetaData') ?? []);
    if (difference) return { reason: `DuckDB re-encodes row group ${index} with another schema (${difference})` };
    changes.push(...describeReencodedGroup(index, place, encoded.places));
    pieces.push(...encoded.places.map((encodedPlace) => ({ file: encodedFile, place: encodedPlace })));
  }
  return { pieces, kept, changes };
}

/**
 * Fills a partial source with everything the splice reads or keeps but the kept row groups' pages:
 * the touched groups, whatever lies between or after the row groups, and every page index and bloom
 * filter (an offset index is rewritten with new offsets even for a kept group). What stays unread
 * lies inside the kept spans, which reach the new object as the source's own bytes (a store's
 * server-side copy of the same version, or a read of it before upload). Returns the ranges held.
 */
async function fetchSpliceBytes(partial: PartialSourceFile, places: readonly RowGroupPlace[], touched: readonly TouchedRowGroup[]): Promise<readonly ByteRange[]> {
  const touchedIndexes = new Set(touched.map((group) => group.index));
  const keptSpans = places.filter((_, index) => !touchedIndexes.has(index)).map((place) => place.span);
  const sideData = places.flatMap((place) =>
    place.chunks.flatMap((chunk) => [chunk.columnIndex, chunk.offsetIndex, chunk.bloomFilter && { offset: chunk.bloomFilter.offset, length: chunk.bloomFilter.length ?? BLOOM_HEADER_BYTES }]),
  );
  await partial.fetch([...subtractRanges([{ offset: 0, length: partial.size }], keptSpans), ...sideData.filter((range): range is ByteRange => range !== undefined)]);
  return partial.heldRanges();
}

/** What assembleParquetFile reads of a bloom filter whose length the footer does not give: its header, which says how long it is. */
const BLOOM_HEADER_BYTES = 256;

async function readMovableFooter(file: string): Promise<{ footer: ParquetFooter; places: RowGroupPlace[] } | { reason: string }> {
  try {
    const footer = await readParquetFooter(file);
    return { footer, places: readRowGroupPlaces(footer.metadata, footer.offset) };
  } catch (error) {
    if (error instanceof ParquetFooterError || error instanceof ThriftDecodeError || error instanceof UnsupportedParquetLayoutError) return { reason: error.message };
    throw error;
  }
}

/**
 * The group alone becomes a small Parquet file (its bytes and the source's footer), which DuckDB
 * reads and writes back without the deleted rows: no other row group is decoded.
 */
async function reencodeRowGroup(
  connection: DuckDBConnection,
  request: FormatRewriteRequest,
  footer: ParquetFooter,
  place: RowGroupPlace,
  group: TouchedRowGroup,
  input: SpliceInput,
): Promise<string> {
  const alone = path.join(request.scratchDirectory, `row-group-${group.index}.parquet`);
  const encoded = path.join(request.scratchDirectory, `row-group-${group.index}-rewritten.parquet`);
  await assembleParquetFile({ metadata: footer.metadata, pieces: [{ file: request.inputFile, place }], outputFile: alone });
  const numbered = `read_parquet(${exactFileLiteral(alone)}, hive_partitioning = false, file_row_number = true)`;
  const query = `SELECT ${input.selectList} FROM ${numbered} t ${buildKeepRowsClause(group.deletedRows, input.predicate, 't')}`;
  await readDuckDbFile(request.context, `re-encode row group ${group.index} of`, () =>
    copyWithinMemory(connection, { largestRowGroupBytes: input.largestRowGroupBytes, readBytes: input.largestRowGroupBytes }, () => connection.run(`COPY (${query}) TO ${quoteLiteral(encoded)} (${input.copyOptions})`)),
  );
  return encoded;
}

async function checkKeptRowGroups(
  request: FormatRewriteRequest,
  sourcePlaces: readonly RowGroupPlace[],
  kept: readonly { sourceIndex: number; outputIndex: number }[],
  held: readonly ByteRange[] | undefined,
): Promise<{ outputSha256?: string }> {
  const output = await readMovableFooter(request.outputFile);
  const { problems, outputSha256 } =
    'reason' in output
      ? { problems: [`its footer cannot be read back: ${output.reason}`], outputSha256: undefined }
      : await findChangedRowGroupBytes(
          request.inputFile,
          request.outputFile,
          kept.map(({ sourceIndex, outputIndex }): KeptRowGroup => ({ sourceIndex, source: sourcePlaces[sourceIndex]!, output: output.places[outputIndex]! })),
          held,
          request.hashOutput !== false,
        );
  if (problems.length > 0) {
    throw new LetheError(`mapper "${request.context.mapperId}": the row-group splice of ${request.context.object} failed its check: ${problems.join('; ')}`, request.context);
  }
  return outputSha256 ? { outputSha256 } : {};
}

const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

/** What a re-encoded group does not keep of the source's: its codecs, page index and bloom filters. */
function describeReencodedGroup(index: number, source: RowGroupPlace, encoded: readonly RowGroupPlace[]): string[] {
  const changes: string[] = [];
  const codecs = (group: RowGroupPlace) => group.chunks.map((chunk) => CODECS[Number(integerField(structField(chunk.chunk, 3, 'column chunk')!, 4, 'ColumnMetaData') ?? -1n)] ?? 'unknown');
  const before = [...new Set(codecs(source))].join(', ');
  const after = [...new Set(encoded.flatMap(codecs))].join(', ');
  if (before !== after) changes.push(`row group ${index}: column chunks compressed with ${before} written as ${after}`);
  const has = (groups: readonly RowGroupPlace[], part: 'columnIndex' | 'offsetIndex' | 'bloomFilter') => groups.some((group) => group.chunks.some((chunk) => chunk[part] !== undefined));
  for (const [part, name] of [
    ['columnIndex', 'column index'],
    ['offsetIndex', 'offset index'],
    ['bloomFilter', 'bloom filters'],
  ] as const) {
    if (has([source], part)) changes.push(`row group ${index}: ${name} ${has(encoded, part) ? "rewritten as DuckDB's" : 'dropped (DuckDB writes none for it)'}`);
  }
  if (encoded.length > 1) changes.push(`row group ${index} written as ${encoded.length} row groups`);
  return changes;
}
