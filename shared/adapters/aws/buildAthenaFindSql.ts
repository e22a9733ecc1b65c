import { ColumnType } from '../../model/columnType';
import { InputError } from '../../model/errors';
import { FindQuery, MatchColumnSet } from '../../ports/QueryExecutor';
import { columnReference, quoteIdentifier, quoteLiteral } from '../../duckdb/sqlText';
import { athenaTypeName } from './athenaTypeName';

export interface AthenaFindSqlOptions {
  /** Glue database and table of the manifest (partition projection on job_id and mapper_id). */
  manifestDatabase: string;
  manifestTable: string;
  /** Glue database and table of the mapper's lake table. */
  database: string;
  table: string;
  /** Types of the partition keys; a key without one (or a string key) is compared as text. */
  partitionKeyTypes?: Readonly<Record<string, ColumnType>>;
  /** Athena rejects longer query strings (a quota that cannot be raised). */
  maxBytes?: number;
}

export const ATHENA_MAX_QUERY_BYTES = 262_144;
/** What Hive writes as the partition value of a NULL key. */
const HIVE_NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/**
 * The Athena statements that find the objects of one partition group holding a match: one
 * `SELECT DISTINCT t."$path"` branch per match set, each an equi-join against that set's manifest
 * rows, combined with UNION. An equi-join lets Athena hash the small manifest and stream the table
 * once per branch reading only that branch's columns; OR'ed EXISTS would defeat the hash join.
 * The manifest side is a subquery whose WHERE names job_id and mapper_id by equality: the manifest
 * table projects them as injected partitions, which Athena accepts only with static equalities
 * there. Match values never appear in the text: they are joined from the manifest. The job id,
 * mapper id, match set keys and partition values are lethe's own and quoted as literals.
 *
 * Usually one statement; when the text would pass `maxBytes`, the match sets are split across
 * several statements (their results are unioned by the caller).
 */
export function buildAthenaFindSql(query: FindQuery, options: AthenaFindSqlOptions): string[] {
  const maxBytes = options.maxBytes ?? ATHENA_MAX_QUERY_BYTES;
  if (query.matchSets.length === 0) throw new InputError(`mapper "${query.mapper.id}": a find query needs at least one match set`, { mapperId: query.mapper.id });
  const where = partitionFilter(query.group.values, options.partitionKeyTypes ?? {});
  const statement = (sets: readonly MatchColumnSet[]) => sets.map((set) => branch(query, set, where, options)).join('\nUNION\n');
  const split = (sets: readonly MatchColumnSet[]): string[] => {
    const sql = statement(sets);
    if (Buffer.byteLength(sql, 'utf8') <= maxBytes) return [sql];
    if (sets.length === 1) {
      throw new InputError(
        `mapper "${query.mapper.id}": the find query for match columns "${sets[0]!.key}" is ${Buffer.byteLength(sql, 'utf8')} bytes, over Athena's ${maxBytes}`,
        { mapperId: query.mapper.id, partition: describePartition(query.group.values) },
      );
    }
    const half = Math.ceil(sets.length / 2);
    return [...split(sets.slice(0, half)), ...split(sets.slice(half))];
  };
  return split(query.matchSets);
}

function branch(query: FindQuery, set: MatchColumnSet, where: string, options: AthenaFindSqlOptions): string {
  const comparisons = set.columns.map((column, i) => {
    const value = `m.${quoteIdentifier('values')}[${i + 1}]`;
    const typed = column.type.kind === 'string' ? value : `TRY_CAST(${value} AS ${athenaTypeName(column.type)})`;
    return `${columnReference('t', column.path)} = ${typed}`;
  });
  const values = quoteIdentifier('values');
  return [
    `SELECT DISTINCT t.${quoteIdentifier('$path')} AS path`,
    `FROM ${quoteIdentifier(options.database)}.${quoteIdentifier(options.table)} t`,
    `JOIN (SELECT DISTINCT ${values} FROM ${quoteIdentifier(options.manifestDatabase)}.${quoteIdentifier(options.manifestTable)}`,
    `  WHERE job_id = ${quoteLiteral(query.jobId)} AND mapper_id = ${quoteLiteral(query.mapper.id)} AND match_columns = ${quoteLiteral(set.key)}) m`,
    `  ON ${comparisons.join('\n  AND ')}`,
    ...(where ? [`WHERE ${where}`] : []),
  ].join('\n');
}

function partitionFilter(values: Readonly<Record<string, string>>, types: Readonly<Record<string, ColumnType>>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      const column = `t.${quoteIdentifier(key)}`;
      if (value === HIVE_NULL_PARTITION) return `${column} IS NULL`;
      const type = types[key];
      // A literal cast to the key's type is folded by the planner, so partition pruning still applies.
      return !type || type.kind === 'string' ? `${column} = ${quoteLiteral(value)}` : `${column} = CAST(${quoteLiteral(value)} AS ${athenaTypeName(type)})`;
    })
    .join(' AND ');
}

export function describePartition(values: Readonly<Record<string, string>>): string {
  const entries = Object.entries(values);
  return entries.length === 0 ? '(all partitions)' : entries.map(([key, value]) => `${key}=${value}`).join('/');
}
