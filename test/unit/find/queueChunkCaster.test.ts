import assert from 'node:assert/strict';
import { CastChunk, QueueChunkCaster } from '../../../shared/find/queueChunkCaster';
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
const accountsOf = (cast: CastChunk) => linesOf(cast.accounts).map((line) => JSON.parse(line) as MatchAccount);
const linesOf = (text: Buffer) => text.toString('utf8').split('\n').filter((line) => line.length > 0);
/** One chunk of `items`, added one at a time as the find does. */
function castQueueChunk(finds: MapperFind[], items: QueueItem[], hmacKey: Buffer): CastChunk {
  const caster = new QueueChunkCaster(finds, hmacKey);
  for (const queued of items) caster.add(queued);
  return caster.take();
}

describe('QueueChunkCaster', () => {
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
    const rows = parseManifest(manifest.manifest.toString('utf8'), 'manifest').map((r) => [r.match_columns, r.values]);
    assert.deepEqual(rows.filter(([k]) => k === 'customer_id'), [['customer_id', ['17']]]);
    assert.ok(rows.some(([k, v]) => k === 'user.email' && (v as string[])[0] === 'ann@x.org'));
    assert.deepEqual(rows.filter(([k]) => k === 'first_name,last_name'), [['first_name,last_name', ['Ann', 'Lee']]]);
    assert.deepEqual(cast.skipped, []);
    assert.deepEqual(
      accountsOf(cast).map((a) => [a.item, a.appliedTo, a.notApplied]),
      [
        ['a', [{ mapperId: 'customers', columns: ['customer_id', 'user.email', 'first_name', 'last_name'] }], []],
        ['b', [{ mapperId: 'customers', columns: ['user.email', 'first_name', 'last_name'] }], []],
        ['c', [{ mapperId: 'customers', columns: ['first_name', 'last_name'] }], []],
      ],
    );
    assert.deepEqual(accountsOf(cast).map((a) => a.matchHash), [hmacMatch(key, { kind: 'simple', value: '17' }), hmacMatch(key, { kind: 'simple', value: 'ann@x.org' }), hmacMatch(key, { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } })]);
  });

  it('skips, by hash and with a reason, a match that fits no column, and ignores items for other mappers', () => {
    const ints = resolveMapperColumns(mapper(['customer_id']), table);
    const cast = castQueueChunk([find(ints, ['customer_id'])], [item('a', { kind: 'simple', value: 'ann@x.org' }), item('b', { kind: 'simple', value: '5' }, ['orders'])], key);
    const manifest = cast.mappers.get('customers')!;
    assert.equal(manifest.applicable, 1);
    assert.equal(manifest.manifestRows, 0);
    assert.equal(manifest.manifest.length, 0);
    assert.deepEqual(cast.skipped, [{ mapperId: 'customers', reason: 'no column holds the value exactly: "customer_id" (integer)', matches: 1 }]);
    assert.equal(accountsOf(cast)[0]!.matchHash, hmacMatch(key, { kind: 'simple', value: 'ann@x.org' }));
    assert.deepEqual(accountsOf(cast)[0]!.notApplied, [{ mapperId: 'customers', reason: 'no column holds the value exactly: "customer_id" (integer)' }]);
    assert.doesNotMatch(JSON.stringify(cast.skipped) + cast.accounts.toString('utf8'), /ann@x\.org/);
    assert.equal(cast.unapplied, 2, 'neither match applied anywhere');
    assert.deepEqual(accountsOf(cast)[1]!.notApplied, [{ mapperId: 'orders', reason: 'no data mapper "orders" in this job' }]);
  });

  it('starts a new chunk at each take: lines, counts and match sets are the chunk\'s own', () => {
    const ints = resolveMapperColumns(mapper(['customer_id']), table);
    const caster = new QueueChunkCaster([find(ints, ['customer_id'])], key);
    caster.add(item('a', { kind: 'simple', value: '1' }));
    caster.add(item('b', { kind: 'simple', value: 'x' }));
    const first = caster.take();
    caster.add(item('c', { kind: 'simple', value: '3' }));
    const second = caster.take();
    assert.deepEqual([first.items, first.unapplied, first.skipped.length, second.items, second.unapplied, second.skipped.length], [2, 1, 1, 1, 0, 0]);
    assert.deepEqual(accountsOf(second).map((a) => a.item), ['c']);
    const secondManifest = second.mappers.get('customers')!;
    assert.deepEqual(parseManifest(secondManifest.manifest.toString('utf8'), 'manifest').map((r) => r.values), [['3']]);
    assert.deepEqual([secondManifest.applicable, secondManifest.manifestRows, secondManifest.matchSets.map((s) => s.key)], [1, 1, ['customer_id']]);
    assert.deepEqual(parseManifest(first.mappers.get('customers')!.manifest.toString('utf8'), 'manifest').map((r) => r.values), [['1']], 'the first chunk is not changed by the second');
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
