import assert from 'node:assert/strict';
import { castQueueChunk } from '../../../shared/find/castQueueChunk';
import { MapperFind } from '../../../shared/find/prepareMapperFind';
import { parseManifest } from '../../../shared/model/manifest';
import { hmacMatch } from '../../../shared/privacy/hmacMatch';
import { MatchAccount } from '../../../shared/records/jobPlan';
import { ResolvedColumn } from '../../../shared/model/columnType';
import { resolveMapperColumns } from '../../../shared/find/resolveMatchColumns';
import { DataMapper } from '../../../shared/model/dataMapper';
import { QueueItem } from '../../../shared/model/match';
import { TableDescription } from '../../../shared/ports/Catalog';

const table: TableDescription = {
  location: '/lake/customers',
  format: 'parquet',
  partitionKeys: [],
  columns: [
    { name: 'Customer_Id', type: { kind: 'int', bits: 64, signed: true } },
    { name: 'user', type: { kind: 'struct', fields: [{ name: 'email', type: { kind: 'string' } }, { name: 'tags', type: { kind: 'other', name: 'VARCHAR[]' } }] } },
    { name: 'first_name', type: { kind: 'string' } },
    { name: 'last_name', type: { kind: 'string' } },
  ],
};
const mapper = (columns: string[]): DataMapper => ({ id: 'customers', location: { kind: 'prefix', uri: table.location }, format: 'parquet', columns, partitionKeys: [], deleteOldVersions: true, ignoreObjectNotFound: false });
const item = (id: string, match: QueueItem['match'], mappers?: string[]): QueueItem => ({ id, match, createdAt: '2026-01-01T00:00:00Z', ...(mappers ? { mappers } : {}) });
const key = Buffer.alloc(32, 1);

const find = (columns: ResolvedColumn[], configured: string[]): MapperFind => ({ mapper: mapper(configured), table, listed: [], hasData: true, columns });
const accountsOf = (lines: string[]) => lines.map((line) => JSON.parse(line) as MatchAccount);

describe('castQueueChunk', () => {
  const columns = resolveMapperColumns(mapper(['customer_id', 'user.email', 'first_name', 'last_name']), table);

  it('resolves columns case-insensitively into structs, spelled as the data spells them', () => {
    assert.deepEqual(columns.map((c) => c.path), [['Customer_Id'], ['user', 'email'], ['first_name'], ['last_name']]);
  });

  it('compares a simple match with every column it casts to, and a composite with its columns together', () => {
    const cast = castQueueChunk(
      [find(columns, ['customer_id', 'user.email', 'first_name', 'last_name'])],
      [item('a', { kind: 'simple', value: '17' }), item('b', { kind: 'simple', value: 'ann@x.org' }), item('c', { kind: 'composite', columns: { last_name: 'Lee', first_name: 'Ann' } })],
      key,
    );
    const manifest = cast.mappers.get('customers')!;
    const rows = parseManifest(manifest.manifestLines.map((line) => `${line}\n`).join(''), 'manifest').map((r) => [r.match_columns, r.values]);
    assert.deepEqual(rows.filter(([k]) => k === 'customer_id'), [['customer_id', ['17']]]);
    assert.ok(rows.some(([k, v]) => k === 'user.email' && (v as string[])[0] === 'ann@x.org'));
    assert.deepEqual(rows.filter(([k]) => k === 'first_name,last_name'), [['first_name,last_name', ['Ann', 'Lee']]]);
    assert.deepEqual(cast.skipped, []);
    assert.deepEqual(
      accountsOf(cast.accountLines).map((a) => [a.item, a.appliedTo, a.notApplied]),
      [
        ['a', [{ mapperId: 'customers', columns: ['customer_id', 'user.email', 'first_name', 'last_name'] }], []],
        ['b', [{ mapperId: 'customers', columns: ['user.email', 'first_name', 'last_name'] }], []],
        ['c', [{ mapperId: 'customers', columns: ['first_name', 'last_name'] }], []],
      ],
    );
    assert.deepEqual(accountsOf(cast.accountLines).map((a) => a.matchHash), [hmacMatch(key, { kind: 'simple', value: '17' }), hmacMatch(key, { kind: 'simple', value: 'ann@x.org' }), hmacMatch(key, { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } })]);
  });

  it('skips, by hash and with a reason, a match that fits no column, and ignores items for other mappers', () => {
    const ints = resolveMapperColumns(mapper(['customer_id']), table);
    const cast = castQueueChunk([find(ints, ['customer_id'])], [item('a', { kind: 'simple', value: 'ann@x.org' }), item('b', { kind: 'simple', value: '5' }, ['orders'])], key);
    const manifest = cast.mappers.get('customers')!;
    assert.equal(manifest.applicable, 1);
    assert.equal(manifest.manifestLines.length, 0);
    assert.equal(cast.skipped.length, 1);
    assert.equal(cast.skipped[0]!.matchHash, hmacMatch(key, { kind: 'simple', value: 'ann@x.org' }));
    assert.match(cast.skipped[0]!.reason, /no column holds the value exactly: "customer_id" \(integer\)/);
    assert.doesNotMatch(JSON.stringify(cast), /ann@x\.org/);
    assert.equal(cast.unapplied, 2, 'neither match applied anywhere');
    assert.deepEqual(accountsOf(cast.accountLines)[1]!.notApplied, [{ mapperId: 'orders', reason: 'no data mapper "orders" in this job' }]);
  });

  it('names a configured column that is missing or cannot hold an identifier', () => {
    assert.throws(() => resolveMapperColumns(mapper(['user.mail', 'user.tags', 'email']), table), (error: Error) => {
      assert.equal(error.name, 'InputError');
      assert.match(error.message, /column "user.mail" not found in struct user/);
      assert.match(error.message, /column "user.tags" has type VARCHAR\[\], which cannot hold a match ID/);
      assert.match(error.message, /column "email" not found in \/lake\/customers/);
      return true;
    });
  });
});
