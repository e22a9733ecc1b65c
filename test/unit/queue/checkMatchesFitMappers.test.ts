import assert from 'node:assert/strict';
import { DataMapper } from '../../../shared/model/dataMapper';
import { checkMatchesFitMappers } from '../../../shared/queue/checkMatchesFitMappers';
import { NewQueueItem } from '../../../shared/queue/deletionQueue';

const mapper = (id: string, columns: string[]): DataMapper => ({ id, location: { kind: 'prefix', uri: `/lake/${id}` }, format: 'parquet', columns, partitionKeys: [], deleteOldVersions: true, ignoreObjectNotFound: false });
const mappers = [mapper('customers', ['customer_id', 'User.Email', 'first_name', 'last_name']), mapper('orders', ['customer_id'])];
const composite = (columns: Record<string, string>, extra: Partial<NewQueueItem> = {}): NewQueueItem => ({ match: { kind: 'composite', columns }, ...extra });

describe('checkMatchesFitMappers', () => {
  it('accepts composites a targeted mapper declares, case-insensitively, and any simple match', () => {
    checkMatchesFitMappers([composite({ 'user.email': 'a', FIRST_NAME: 'b' }), composite({ customer_id: '1' }, { mappers: ['customers', 'orders'] }), { match: { kind: 'simple', value: 'x' } }], mappers);
  });

  it('refuses a composite that a named mapper does not declare, even if another mapper does', () => {
    assert.throws(() => checkMatchesFitMappers([composite({ customer_id: '1', last_name: 'Lee' }, { mappers: ['customers', 'orders'], where: 'ids.csv row 2' })], mappers), {
      name: 'InputError',
      message: 'ids.csv row 2: mapper "orders" does not declare column "last_name" (declared: customer_id)',
    });
  });

  it('refuses a mapper the config does not have, and lists every problem on one line, the first five', () => {
    const items = Array.from({ length: 7 }, (_, i) => composite({ shoe: String(i) }));
    items.unshift({ match: { kind: 'simple', value: 'x' }, mappers: ['retired'] });
    assert.throws(() => checkMatchesFitMappers(items, mappers), (error: Error) => {
      assert.equal(error.name, 'InputError');
      assert.doesNotMatch(error.message, /\n/);
      assert.match(error.message, /^match ID #1: no such data mapper "retired" \(configured: customers, orders\); match ID #2: no data mapper declares all its columns \(shoe\); declared: customers \[customer_id, User.Email, first_name, last_name\], orders \[customer_id\];/);
      assert.match(error.message, /; and 3 more$/);
      return true;
    });
  });
});
