import assert from 'node:assert/strict';
import { ATHENA_MAX_QUERY_BYTES, buildAthenaFindSql } from '../../../shared/adapters/aws/buildAthenaFindSql';
import { DataMapper } from '../../../shared/model/dataMapper';
import { FindQuery, MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { parseJobId, parseStateKey } from '../../../shared/model/identifiers';

const mapper: DataMapper = {
  id: 'customers',
  location: { kind: 'glue', database: 'lake', table: 'customers' },
  columns: ['customer_id', 'user.email', 'first_name', 'last_name'],
  partitionKeys: ['year'],
  deleteOldVersions: true,
  ignoreObjectNotFound: false,
};

const idSet: MatchColumnSet = { key: 'customer_id', columns: [{ configured: 'customer_id', path: ['customer_id'], type: { kind: 'int', bits: 64, signed: true } }] };
const emailSet: MatchColumnSet = { key: 'user.email', columns: [{ configured: 'user.email', path: ['user', 'email'], type: { kind: 'string' } }] };
const nameSet: MatchColumnSet = {
  key: 'first_name,last_name',
  columns: [
    { configured: 'first_name', path: ['first_name'], type: { kind: 'string' } },
    { configured: 'last_name', path: ['last_name'], type: { kind: 'string' } },
  ],
};

function query(matchSets: MatchColumnSet[], values: Record<string, string> = { year: '2024' }): FindQuery {
  return {
    jobId: parseJobId('20261122T031500Z-a1b2c3'),
    mapper,
    table: { location: 's3://lake/customers/', format: 'parquet', columns: [], partitionKeys: ['year', 'month'] },
    group: { values, partitions: [] },
    matchSets,
  };
}

const names = { manifestDatabase: 'lethe', manifestTable: 'manifests', database: 'lake', table: 'customers' };

describe('buildAthenaFindSql', () => {
  it('joins one match set against its manifest rows, typed, in one partition', () => {
    assert.deepEqual(buildAthenaFindSql(query([idSet]), names), [
      [
        'SELECT DISTINCT t."$path" AS path',
        'FROM "lake"."customers" t',
        'JOIN (SELECT DISTINCT "values" FROM "lethe"."manifests"',
        `  WHERE job_id = '20261122T031500Z-a1b2c3' AND mapper_id = 'customers' AND match_columns = 'customer_id') m`,
        '  ON t."customer_id" = TRY_CAST(m."values"[1] AS bigint)',
        `WHERE t."year" = '2024'`,
      ].join('\n'),
    ]);
  });

  it('writes one UNION branch per match set, reaching into structs, with composite columns ANDed', () => {
    const [sql, ...rest] = buildAthenaFindSql(query([idSet, emailSet, nameSet]), names);
    assert.equal(rest.length, 0);
    const branches = sql!.split('\nUNION\n');
    assert.equal(branches.length, 3);
    assert.match(branches[1]!, /\n  ON t\."user"\."email" = m\."values"\[1\]\n/);
    assert.match(branches[2]!, /match_columns = 'first_name,last_name'\) m\n  ON t\."first_name" = m\."values"\[1\]\n  AND t\."last_name" = m\."values"\[2\]\n/);
    for (const branch of branches) assert.match(branch, /WHERE t\."year" = '2024'$/);
  });

  it('escapes identifiers and literals, and types partition values by their key type', () => {
    const odd: MatchColumnSet = { key: 'we"ird', columns: [{ configured: 'we"ird', path: ['we"ird'], type: { kind: 'decimal', precision: 12, scale: 2 } }] };
    const [sql] = buildAthenaFindSql(query([odd], { year: '2024', "region'x": "o'neil", month: '__HIVE_DEFAULT_PARTITION__' }), {
      ...names,
      table: 'cust"omers',
      partitionKeyTypes: { year: { kind: 'int', bits: 32, signed: true } },
    });
    assert.match(sql!, /FROM "lake"\."cust""omers" t/);
    assert.match(sql!, /match_columns = 'we"ird'\) m\n  ON t\."we""ird" = TRY_CAST\(m\."values"\[1\] AS decimal\(12,2\)\)/);
    assert.match(sql!, /WHERE t\."year" = CAST\('2024' AS integer\) AND t\."region'x" = 'o''neil' AND t\."month" IS NULL$/);
  });

  it('has no partition filter for a mapper without partition keys', () => {
    const [sql] = buildAthenaFindSql(query([emailSet], {}), names);
    assert.doesNotMatch(sql!, /^WHERE/m);
    assert.match(sql!, /ON t\."user"\."email" = m\."values"\[1\]$/);
  });

  it('never puts a match value in the text: values come from the manifest join', () => {
    // The query carries no values at all; the only literals are lethe's own ids, keys and partitions.
    const [sql] = buildAthenaFindSql(query([idSet, emailSet, nameSet]), names);
    const literals = [...sql!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]);
    assert.deepEqual(new Set(literals), new Set(['20261122T031500Z-a1b2c3', 'customers', 'customer_id', 'user.email', 'first_name,last_name', '2024']));
  });

  it('splits the match sets across statements to stay under the byte limit, covering each set once', () => {
    const sets = Array.from({ length: 40 }, (_, i): MatchColumnSet => ({
      key: `col_${i}`,
      columns: [{ configured: `col_${i}`, path: [`col_${i}`], type: { kind: 'string' } }],
    }));
    const single = buildAthenaFindSql(query(sets), names);
    assert.equal(single.length, 1);
    const limit = Math.floor(Buffer.byteLength(single[0]!, 'utf8') / 3);
    const split = buildAthenaFindSql(query(sets), { ...names, maxBytes: limit });
    assert.ok(split.length >= 3, `expected at least 3 statements, got ${split.length}`);
    for (const sql of split) assert.ok(Buffer.byteLength(sql, 'utf8') <= limit);
    const covered = split.flatMap((sql) => [...sql.matchAll(/match_columns = '(col_\d+)'/g)].map((m) => m[1]));
    assert.deepEqual([...covered].sort(), sets.map((s) => s.key).sort());
    assert.equal(ATHENA_MAX_QUERY_BYTES, 262_144);
  });

  it('refuses a single match set that alone passes the limit, naming mapper and partition', () => {
    assert.throws(() => buildAthenaFindSql(query([nameSet]), { ...names, maxBytes: 100 }), {
      name: 'InputError',
      message: /mapper "customers": the find query for match columns "first_name,last_name" is \d+ bytes, over Athena's 100/,
    });
  });
});
