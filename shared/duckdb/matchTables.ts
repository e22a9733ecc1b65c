import { JobId } from '../model/identifiers';
import { DuckDBConnection } from '@duckdb/node-api';
import { ManifestRow } from '../model/manifest';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { duckDbTypeName } from './duckDbTypeName';
import { columnReference } from './sqlText';

/** Name of the temp table that holds the typed values of match set `index`. */
export function matchTableName(index: number): string {
  return `lethe_match_${index}`;
}

/**
 * Loads manifest rows into one typed temp table per match set (columns c0..cN, cast to each column's
 * type). Values go in through the appender, so no match ID ever appears in SQL text. `firstIndex`
 * places one mapper's sets after another's, so one predicate over all the sets covers both mappers.
 */
export async function loadMatchTables(connection: DuckDBConnection, matchSets: readonly MatchColumnSet[], rows: readonly ManifestRow[], firstIndex = 0): Promise<void> {
  for (const [offset, set] of matchSets.entries()) {
    const table = matchTableName(firstIndex + offset);
    const staging = `${table}_text`;
    const textColumns = set.columns.map((_, i) => `c${i} VARCHAR`).join(', ');
    await connection.run(`DROP TABLE IF EXISTS ${staging}; CREATE TEMP TABLE ${staging} (${textColumns})`);
    const appender = await connection.createAppender(staging);
    try {
      for (const row of rows) {
        if (row.match_columns !== set.key) continue;
        for (const value of row.values) appender.appendVarchar(value);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const typed = set.columns.map((column, i) => `CAST(c${i} AS ${duckDbTypeName(column.type)}) AS c${i}`).join(', ');
    await connection.run(`DROP TABLE IF EXISTS ${table}; CREATE TEMP TABLE ${table} AS SELECT DISTINCT ${typed} FROM ${staging}; DROP TABLE ${staging}`);
  }
}

/**
 * A predicate that is true for rows of `alias` matching any set. An uncorrelated IN over the small
 * match table is a hash join built on that table, streaming the scanned rows; a correlated EXISTS
 * became a DELIM_JOIN that holds every scanned row in memory and fails under a small memory_limit.
 * coalesce(..., false) keeps it never NULL, so `NOT <predicate>` keeps rows whose match columns are
 * NULL; match tables hold no NULLs (CAST of given text), so a NULL column can never match.
 */
export function buildMatchPredicate(matchSets: readonly MatchColumnSet[], alias: string): string {
  if (matchSets.length === 0) return 'false';
  return matchSets
    .map((set, index) => {
      const key = matchKey(set, alias);
      return `coalesce(${key.row} IN (SELECT ${key.stored} FROM ${matchTableName(index)}), false)`;
    })
    .join(' OR ');
}

/**
 * What a row of `alias` and a row of a match table compare as: the one column, or a composite's
 * columns all at once as one struct.
 */
function matchKey(set: MatchColumnSet, alias: string): { row: string; stored: string } {
  const [only] = set.columns;
  if (set.columns.length === 1 && only) return { row: columnReference(alias, only.path), stored: 'c0' };
  const row = set.columns.map((column, i) => `c${i} := ${columnReference(alias, column.path)}`).join(', ');
  const stored = set.columns.map((_, i) => `c${i} := c${i}`).join(', ');
  return { row: `struct_pack(${row})`, stored: `struct_pack(${stored})` };
}

/** What buildMatchJoin gives: LEFT JOINs to put after the aliased FROM item, and a predicate over them. */
export interface MatchJoin {
  /** Empty, or LEFT JOINs starting with a space. */
  joins: string;
  /** True for a row matching any set, never NULL; valid only in the query that has `joins`. */
  predicate: string;
}

/**
 * The match predicate as LEFT JOINs, for queries that look at every row anyway (counts, lists of
 * matching rows): DuckDB may build the hash table on the object's side (a mark join, as
 * buildMatchPredicate's IN is, builds on the whole match table), and a LEFT JOIN keeps every row of
 * the object, so no row group is skipped by the match table's min/max or statistics (a semi join
 * skipped them, and an object DuckDB cannot decode read as holding no match). Each match table is
 * DISTINCT, so a row joins at most once per set; the join compares as IN does (= on the column, or
 * on one struct of a composite's columns), and the joined key is never NULL, since match tables hold
 * no NULLs. Filter the rows with the predicate only inside an aggregate (FILTER, HAVING): a WHERE on
 * it would turn the LEFT JOIN into an inner join, which may skip row groups again.
 */
export function buildMatchJoin(matchSets: readonly MatchColumnSet[], alias: string): MatchJoin {
  if (matchSets.length === 0) return { joins: '', predicate: 'false' };
  const hits = matchSets.map((set, index) => {
    const hit = `${matchTableName(index)}_hit`;
    const key = matchKey(set, alias);
    return { join: ` LEFT JOIN (SELECT ${key.stored} AS k FROM ${matchTableName(index)}) ${hit} ON ${key.row} = ${hit}.k`, hit };
  });
  return { joins: hits.map((h) => h.join).join(''), predicate: `(${hits.map((h) => `${h.hit}.k IS NOT NULL`).join(' OR ')})` };
}

/**
 * Loads a job's manifest (JSON Lines parts, as the find wrote them) into typed tables
 * `<schema>.lethe_match_<firstIndex + i>` in the database every connection of the instance shares,
 * so they are built once per process, not per connection. Each part goes in as one bound parameter
 * and DuckDB splits, parses and casts it: no match ID in SQL text, and no JS object per row.
 */
export async function loadSharedMatchTables(connection: DuckDBConnection, schema: string, matchSets: readonly MatchColumnSet[], parts: AsyncIterable<string>, firstIndex = 0): Promise<void> {
  const staging = `${schema}_staging`;
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${staging} (match_columns VARCHAR, "values" VARCHAR[])`);
  try {
    for await (const part of parts) {
      await connection.run(
        // One from_json per line reads both fields (two json_extract calls parsed each line twice, half the load's time).
        `INSERT INTO ${staging} SELECT row.match_columns, row."values" FROM (SELECT from_json(line, '{"match_columns": "VARCHAR", "values": ["VARCHAR"]}') AS row FROM (SELECT unnest(string_split($1, chr(10))) AS line) WHERE line <> '')`,
        [part],
      );
    }
    for (const [offset, set] of matchSets.entries()) {
      const typed = set.columns.map((column, i) => `CAST("values"[${i + 1}] AS ${duckDbTypeName(column.type)}) AS c${i}`).join(', ');
      await connection.run(`CREATE OR REPLACE TABLE ${schema}.${matchTableName(firstIndex + offset)} AS SELECT DISTINCT ${typed} FROM ${staging} WHERE match_columns = $1`, [set.key]);
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${staging}`);
  }
}

/** Lets a connection see shared match tables by the names buildMatchPredicate uses (temp views: this connection's only). */
export async function attachSharedMatchTables(connection: DuckDBConnection, schema: string, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const table = matchTableName(index);
    await connection.run(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT * FROM ${schema}.${table}`);
  }
}

/** Drops shared match tables: their job is over, or the process is closing. */
export async function dropSharedMatchTables(connection: DuckDBConnection, schema: string): Promise<void> {
  await connection.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** A connection that sees some mappers' match tables of one job; the caller closes it. */
export interface MatchTableConnection {
  /** Every mapper's sets in table order, so one predicate over them matches any of the mappers. */
  matchSets: MatchColumnSet[];
  connection: DuckDBConnection;
}

/** Match tables built once per process and shared by its connections (the find's queries, each forget slot). */
export interface MatchTableSource {
  connect(jobId: JobId, mapperIds: readonly string[]): Promise<MatchTableConnection>;
  /** Drops every table built: a job was found again, or the process is closing. */
  release(): Promise<void>;
}
