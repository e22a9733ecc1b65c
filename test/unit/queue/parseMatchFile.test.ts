import assert from 'node:assert/strict';
import { parseMatchFile } from '../../../shared/queue/parseMatchFile';

describe('parseMatchFile: jsonl', () => {
  it('keeps the digits of every JSON number as written, in simple and composite matches', () => {
    const items = parseMatchFile(
      ['9007199254740993', '{"match": 9007199254740993, "mappers": ["orders"]}', '{"customer_id": 18446744073709551617, "balance": 12.50}', '1.7e1'].join('\n'),
      'jsonl',
      'ids.jsonl',
    );
    assert.deepEqual(items.map((i) => i.match), [
      { kind: 'simple', value: '9007199254740993' },
      { kind: 'simple', value: '9007199254740993' },
      { kind: 'composite', columns: { balance: '12.50', customer_id: '18446744073709551617' } },
      { kind: 'simple', value: '1.7e1' },
    ]);
    assert.deepEqual(items[1]!.mappers, ['orders']);
    assert.deepEqual(items.map((i) => i.where), ['ids.jsonl line 1', 'ids.jsonl line 2', 'ids.jsonl line 3', 'ids.jsonl line 4']);
  });

  it('refuses a number where a mapper id belongs, and bad JSON, naming the line', () => {
    assert.throws(() => parseMatchFile('{"match": "a", "mappers": [7]}', 'jsonl', 'ids.jsonl'), { name: 'InputError', message: 'ids.jsonl line 1: "mappers" must be a list of mapper ids' });
    assert.throws(() => parseMatchFile('"a"\n{"match": 9007199254740993', 'jsonl', 'ids.jsonl'), { name: 'InputError', message: 'ids.jsonl line 2: not valid JSON' });
  });
});
