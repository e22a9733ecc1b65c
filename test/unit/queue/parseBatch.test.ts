import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBatch } from '../../../shared/queue/deletionQueue';
import { parseStateKey } from '../../../shared/model/identifiers';
import { parseQueueItem } from '../../../shared/model/match';

const KEY = parseStateKey('queue/20261202T031500000Z-crm001.jsonl');
const AT = '2026-12-02T03:15:00.000Z';
const line = (fields: Record<string, unknown>) => JSON.stringify({ createdAt: AT, ...fields });
/** A line as enqueue writes it: id, match, createdAt in that order. */
const written = (id: string, match: string, createdAt = AT) => JSON.stringify({ id, match, createdAt });

/** The batch contract of docs/queue-format.md, case by case, with hand-written batches. */
describe('parseBatch: the queue batch format', function () {
  it('reads simple and composite matches, mappers, CRLF line ends, blank lines and a byte-order mark', () => {
    const text = [
      '{"id":"20261202T031500000Z-crm001.0","match":"17","createdAt":"2026-12-02T03:15:00.000Z"}',
      '',
      '{"id":"20261202T031500000Z-crm001.1","match":{"last_name":"Lee","first_name":"Ann"},"mappers":["customers"],"createdAt":"2026-12-02T03:15:00Z"}',
    ].join('\r\n');
    assert.deepEqual(parseBatch(Buffer.from(`\uFEFF${text}\r\n`), KEY), [
      { id: '20261202T031500000Z-crm001.0', match: { kind: 'simple', value: '17' }, createdAt: '2026-12-02T03:15:00.000Z' },
      { id: '20261202T031500000Z-crm001.1', match: { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } }, mappers: ['customers'], createdAt: '2026-12-02T03:15:00Z' },
    ]);
  });

  const refused: Array<{ name: string; key?: string; text: string | Buffer; message: RegExp }> = [
    {
      name: 'a line that is not JSON, without quoting it',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: '1' })}\n{"id":"20261202T031500000Z-crm001.1","match":"secret@example.org"\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 2: not valid JSON$/,
    },
    {
      name: 'text that is not UTF-8 (Latin-1 "ü" would otherwise become U+FFFD and match no one)',
      text: Buffer.from(`${line({ id: '20261202T031500000Z-crm001.0', match: 'Müller' })}\n`, 'latin1'),
      message: /^queue\/20261202T031500000Z-crm001\.jsonl: not valid UTF-8 \(write the file as UTF-8\)$/,
    },
    {
      name: 'a match written as a JSON number (digits beyond 2^53 would be lost)',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: 17 })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 1\.match: a stored match ID must be a JSON string, got a number$/,
    },
    {
      name: 'a composite value written as a JSON number',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: { customer_id: 17 } })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 1\.match: column "customer_id": a stored match ID must be a JSON string, got a number$/,
    },
    {
      name: 'an item id that is not <batchId>.<n>',
      text: `${line({ id: 'crm-1', match: '1' })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 1\.id: "crm-1" is not 20261202T031500000Z-crm001\.<n>$/,
    },
    {
      name: 'an item id used twice',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: '1' })}\n${line({ id: '20261202T031500000Z-crm001.0', match: '2' })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 2\.id: "20261202T031500000Z-crm001\.0" is also on an earlier line$/,
    },
    {
      name: 'an item id used twice, on lines as enqueue writes them',
      text: `${written('20261202T031500000Z-crm001.7', '1')}\n${written('20261202T031500000Z-crm001.8', '2')}\n${written('20261202T031500000Z-crm001.7', '3')}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 3\.id: "20261202T031500000Z-crm001\.7" is also on an earlier line$/,
    },
    {
      name: 'a createdAt that is not an ISO 8601 UTC time',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: '1', createdAt: 'yesterday' })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 1\.createdAt: expected an ISO 8601 UTC time such as 2026-12-02T03:15:00\.000Z$/,
    },
    {
      name: 'an unknown field',
      text: `${line({ id: '20261202T031500000Z-crm001.0', match: '1', email: 'x' })}\n`,
      message: /^queue\/20261202T031500000Z-crm001\.jsonl line 1: unknown key "email"/,
    },
    {
      name: 'a key outside queue/<batchId>.jsonl',
      key: 'queue/crm/2026.12.02.jsonl',
      text: `${line({ id: '2026.0', match: '1' })}\n`,
      message: /^queue\/crm\/2026\.12\.02\.jsonl: a batch is named queue\/<batchId>\.jsonl, the batch id of letters, digits, _ and -$/,
    },
  ];
  for (const { name, key, text, message } of refused) {
    it(`refuses ${name}, naming the object and line`, () => {
      assert.throws(() => parseBatch(Buffer.from(text), key === undefined ? KEY : parseStateKey(key)), (error: Error) => {
        assert.equal(error.name, 'InputError');
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /secret@example\.org/);
        return true;
      });
    });
  }

  it('reads a line as enqueue writes it exactly as JSON.parse and parseQueueItem do, or refuses it with their error', () => {
    const at = fc.constantFrom(AT, '2026-12-02T03:15:00Z', '2026-02-30T03:15:00Z', 'yesterday', '', '2026-12-02T03:15:00.000Z ');
    const match = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(' ', '\u007f', 'a"b', 'a\\b', '\u2028', 'x'.repeat(1024), 'x'.repeat(1025), ' 17 '));
    fc.assert(
      fc.property(match, at, (value, createdAt) => {
        const text = written('20261202T031500000Z-crm001.0', value, createdAt);
        let expected: unknown;
        try {
          expected = [parseQueueItem(JSON.parse(text), `${KEY} line 1`)];
        } catch (error) {
          expected = (error as Error).message;
        }
        let actual: unknown;
        try {
          actual = parseBatch(Buffer.from(`${text}\n`), KEY);
        } catch (error) {
          actual = (error as Error).message;
        }
        assert.deepEqual(actual, expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('tells item numbers apart by their digits: 7 and 07 are two items', () => {
    const items = parseBatch(Buffer.from(`${written('20261202T031500000Z-crm001.7', '1')}\n${written('20261202T031500000Z-crm001.07', '2')}\n`), KEY);
    assert.deepEqual(items.map((item) => item.id), ['20261202T031500000Z-crm001.7', '20261202T031500000Z-crm001.07']);
  });
});
