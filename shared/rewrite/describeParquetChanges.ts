import { DUCKDB_MIN_ROW_GROUP_ROWS } from './buildParquetCopyOptions';
import { describeSchemaDifference } from '../parquet/describeSchemaDifference';
import { KeyValueEntry, ParquetLayout, ParquetSchemaNode } from './readParquetLayout';

/**
 * What differs physically between a source file and its rewrite, one sentence each, found by
 * comparing the two files' metadata (so it reports what the writer did, not what we hoped it did).
 * Row counts are not compared here: deleting rows is the point.
 */
export function describeParquetChanges(source: ParquetLayout, output: ParquetLayout): string[] {
  return [...describeSchemaChanges(source.schema, output.schema), ...describeRowGroupChange(source, output), ...describeKeyValueChanges(source, output)];
}

/**
 * Whether DuckDB reads `output` as it reads `source`: it derives a file's columns from its schema
 * and key/value metadata alone, so when both are the source's element for element (a splice; a
 * COPY of a file DuckDB wrote) the column types need no second reading to compare.
 */
export function readsLikeSource(source: ParquetLayout, output: ParquetLayout): boolean {
  return describeSchemaDifference(source.schemaElements, output.schemaElements) === undefined && sameKeyValue(source.keyValue, output.keyValue);
}

function sameKeyValue(source: readonly KeyValueEntry[], output: readonly KeyValueEntry[]): boolean {
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  return source.length === output.length && source.every((entry, i) => same(entry.key, output[i]!.key) && same(entry.value, output[i]!.value));
}

function describeSchemaChanges(source: readonly ParquetSchemaNode[], output: readonly ParquetSchemaNode[]): string[] {
  const changes: string[] = [];
  const written = new Map(output.map((node) => [node.name, node]));
  for (const node of source) {
    const out = written.get(node.name);
    if (!out) changes.push(`column ${node.name} missing from the output`);
    else compareNodes(node, out, changes);
  }
  return changes;
}

function compareNodes(source: ParquetSchemaNode, output: ParquetSchemaNode, changes: string[]): void {
  const where = source.path.join('.');
  if (source.children.length !== output.children.length || source.children.some((child, i) => child.name !== output.children[i]!.name)) {
    changes.push(`nested column ${where} (${leafPaths(source).join(', ')}) written in DuckDB's standard layout (${leafPaths(output).join(', ')})`);
    return;
  }
  if (source.repetition === 'REQUIRED' && output.repetition !== 'REQUIRED') changes.push(`REQUIRED column ${where} written as ${output.repetition ?? 'OPTIONAL'}`);
  if (source.fieldId !== output.fieldId) changes.push(`field id ${source.fieldId ?? 'none'} of column ${where} written as ${output.fieldId ?? 'none'}`);
  const before = describeNodeType(source);
  const after = describeNodeType(output);
  if (before !== after) changes.push(source.physicalType === 'INT96' ? `INT96 column ${where} written as ${after}` : `column ${where} ${before} written as ${after}`);
  source.children.forEach((child, i) => compareNodes(child, output.children[i]!, changes));
}

function leafPaths(node: ParquetSchemaNode): string[] {
  return node.children.length === 0 ? [node.path.join('.')] : node.children.flatMap(leafPaths);
}

/** "INT64 TIMESTAMP(MICROS)", "FIXED_LEN_BYTE_ARRAY(11) DECIMAL(25,2)", "group LIST". */
function describeNodeType(node: ParquetSchemaNode): string {
  const physical = node.physicalType === null ? 'group' : node.typeLength && node.physicalType === 'FIXED_LEN_BYTE_ARRAY' ? `${node.physicalType}(${node.typeLength})` : node.physicalType;
  const annotation = describeAnnotation(node);
  return annotation ? `${physical} ${annotation}` : physical;
}

/**
 * One spelling for the logical and the converted (legacy) annotation, so that a writer that adds the
 * other form of the same meaning is not reported. INT_32 on INT32 says nothing more than INT32.
 */
function describeAnnotation(node: ParquetSchemaNode): string | null {
  const logical = node.logicalType;
  const utc = logical?.isAdjustedToUTC ? ', UTC' : '';
  let annotation: string | null;
  if (logical?.name === 'TIMESTAMP' || logical?.name === 'TIME') annotation = `${logical.name}(${logical.unit}${utc})`;
  else if (logical?.name === 'INTEGER') annotation = node.convertedType ?? `${logical.isSigned === false ? 'UINT' : 'INT'}_${logical.bitWidth}`;
  else if (logical?.name === 'DECIMAL' || node.convertedType === 'DECIMAL') annotation = `DECIMAL(${node.precision},${node.scale})`;
  else if (logical) annotation = logical.name;
  else annotation = convertedAnnotation(node.convertedType);
  if ((annotation === 'INT_32' && node.physicalType === 'INT32') || (annotation === 'INT_64' && node.physicalType === 'INT64')) return null;
  return annotation;
}

function convertedAnnotation(converted: string | null): string | null {
  switch (converted) {
    case null:
      return null;
    case 'UTF8':
      return 'STRING';
    case 'TIMESTAMP_MILLIS':
      return 'TIMESTAMP(MILLIS)';
    case 'TIMESTAMP_MICROS':
      return 'TIMESTAMP(MICROS)';
    case 'TIME_MILLIS':
      return 'TIME(MILLIS)';
    case 'TIME_MICROS':
      return 'TIME(MICROS)';
    case 'MAP_KEY_VALUE':
      return 'MAP';
    default:
      return converted;
  }
}

/**
 * DuckDB writes one row group per source row group (less its deleted rows) while it keeps insertion
 * order, so only merged or split groups are a change.
 */
function describeRowGroupChange(source: ParquetLayout, output: ParquetLayout): string[] {
  const largestSource = Math.max(0, ...source.rowGroupRows);
  const largestOutput = Math.max(0, ...output.rowGroupRows);
  if (output.rowGroupRows.length <= source.rowGroupRows.length && largestOutput <= largestSource) return [];
  const why = largestSource < DUCKDB_MIN_ROW_GROUP_ROWS ? ` (DuckDB writes at least ${DUCKDB_MIN_ROW_GROUP_ROWS} rows per row group)` : '';
  return [`${source.rowGroupRows.length} row groups of up to ${largestSource} rows written as ${output.rowGroupRows.length} of up to ${largestOutput} rows${why}`];
}

function describeKeyValueChanges(source: ParquetLayout, output: ParquetLayout): string[] {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const written = new Map(output.keyValue.map((entry) => [text(entry.key), Buffer.from(entry.value)]));
  const changes: string[] = [];
  for (const entry of source.keyValue) {
    const value = written.get(text(entry.key));
    if (value === undefined) changes.push(`key/value metadata "${text(entry.key)}" not carried`);
    else if (!value.equals(entry.value)) changes.push(`key/value metadata "${text(entry.key)}" changed`);
  }
  const carried = new Set(source.keyValue.map((entry) => text(entry.key)));
  for (const key of written.keys()) if (!carried.has(key)) changes.push(`key/value metadata "${key}" added by DuckDB`);
  return changes;
}
