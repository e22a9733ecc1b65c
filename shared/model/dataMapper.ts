import {
  collectProblems,
  expectArray,
  expectBoolean,
  expectNonEmptyString,
  expectOneOf,
  expectRecord,
  expectStringArray,
  rejectUnknownKeys,
} from './fields';
import { InputError } from './errors';

export const DATA_FORMATS = ['parquet', 'json', 'csv'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Where a mapper's table lives: a folder or s3:// prefix read as hive-style partitions, or a Glue table. */
export type MapperLocation =
  | { kind: 'prefix'; uri: string }
  | { kind: 'glue'; database: string; table: string };

export interface DataMapper {
  /** [A-Za-z0-9_-]+, unique in the config. */
  id: string;
  location: MapperLocation;
  /** Required for a prefix location; a Glue table's SerDe decides when absent. */
  format?: DataFormat;
  /** Columns that may hold a match; dot paths reach into structs. Matched case-insensitively. */
  columns: string[];
  /** Hive partition keys that split the find queries; [] runs one query for the table. */
  partitionKeys: string[];
  deleteOldVersions: boolean;
  ignoreObjectNotFound: boolean;
}

const MAPPER_KEYS = ['id', 'location', 'format', 'columns', 'partitionKeys', 'deleteOldVersions', 'ignoreObjectNotFound'] as const;
export const MAPPER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const COLUMN_PATH_PATTERN = /^[^.\s"]+(\.[^.\s"]+)*$/;

/**
 * Parses one data mapper. `resolveLocation` turns a relative folder into an absolute one (local mode
 * resolves against the config file's folder).
 */
export function parseDataMapper(input: unknown, where: string, resolveLocation: (path: string) => string = (p) => p): DataMapper {
  const record = expectRecord(input, where);
  rejectUnknownKeys(record, MAPPER_KEYS, where);
  const id = expectNonEmptyString(record.id, `${where}.id`);
  if (!MAPPER_ID_PATTERN.test(id)) throw new InputError(`${where}.id: "${id}" must match [A-Za-z0-9_-]+ (at most 64 characters)`);
  const here = `${where} (mapper "${id}")`;
  const location = parseMapperLocation(record.location, `${here}.location`, resolveLocation);
  const format = record.format === undefined ? undefined : expectOneOf(record.format, DATA_FORMATS, `${here}.format`);
  if (location.kind === 'prefix' && format === undefined) {
    throw new InputError(`${here}.format: required for a folder or s3:// location (one of ${DATA_FORMATS.join(', ')})`);
  }
  const columns = expectStringArray(record.columns, `${here}.columns`);
  if (columns.length === 0) throw new InputError(`${here}.columns: name at least one column that may hold a match`);
  columns.forEach((column, i) => {
    if (!COLUMN_PATH_PATTERN.test(column)) throw new InputError(`${here}.columns[${i}]: "${column}" is not a column name or dot path`);
  });
  const partitionKeys = record.partitionKeys === undefined ? [] : expectStringArray(record.partitionKeys, `${here}.partitionKeys`);
  return {
    id,
    location,
    ...(format ? { format } : {}),
    columns,
    partitionKeys,
    deleteOldVersions: record.deleteOldVersions === undefined ? true : expectBoolean(record.deleteOldVersions, `${here}.deleteOldVersions`),
    ignoreObjectNotFound:
      record.ignoreObjectNotFound === undefined ? false : expectBoolean(record.ignoreObjectNotFound, `${here}.ignoreObjectNotFound`),
  };
}

function parseMapperLocation(input: unknown, where: string, resolveLocation: (path: string) => string): MapperLocation {
  if (typeof input === 'string') {
    const text = expectNonEmptyString(input, where);
    return { kind: 'prefix', uri: text.startsWith('s3://') ? text : resolveLocation(text) };
  }
  if (input === undefined) throw new InputError(`${where}: missing (a folder, an s3:// prefix, or glue: {database, table})`);
  const record = expectRecord(input, where);
  // A job snapshot stores the parsed form; lethe.yaml and stack config use the short forms above.
  if (record.kind === 'prefix') return { kind: 'prefix', uri: expectNonEmptyString(record.uri, `${where}.uri`) };
  if (record.kind === 'glue') {
    return { kind: 'glue', database: expectNonEmptyString(record.database, `${where}.database`), table: expectNonEmptyString(record.table, `${where}.table`) };
  }
  rejectUnknownKeys(record, ['glue'], where);
  const glue = expectRecord(record.glue, `${where}.glue`);
  rejectUnknownKeys(glue, ['database', 'table'], `${where}.glue`);
  return {
    kind: 'glue',
    database: expectNonEmptyString(glue.database, `${where}.glue.database`),
    table: expectNonEmptyString(glue.table, `${where}.glue.table`),
  };
}

/** Parses a list of mappers, reporting every problem at once and rejecting duplicate ids. */
export function parseDataMappers(input: unknown, where: string, resolveLocation?: (path: string) => string): DataMapper[] {
  const items = expectArray(input, where);
  const mappers: DataMapper[] = [];
  collectProblems(
    items.map((item, i) => () => {
      mappers.push(parseDataMapper(item, `${where}[${i}]`, resolveLocation));
    }),
    `${where}: ${items.length} mappers have problems`,
  );
  const seen = new Set<string>();
  for (const mapper of mappers) {
    if (seen.has(mapper.id)) throw new InputError(`${where}: mapper id "${mapper.id}" is used twice`);
    seen.add(mapper.id);
  }
  return mappers;
}

/** Column names compare as Athena and Glue compare them: case-insensitively. */
export function sameColumnName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** How reports, errors and the console name where a mapper's rows live: the prefix, or glue:database.table. */
export function describeMapperLocation(mapper: DataMapper): string {
  return mapper.location.kind === 'prefix' ? mapper.location.uri : `glue:${mapper.location.database}.${mapper.location.table}`;
}
