import assert from 'node:assert/strict';
import { decodeUtf8Lines } from '../../../shared/model/decodeUtf8';

const MIB = 1 << 20;

describe('decodeUtf8Lines: the lines of a large UTF-8 file, a piece at a time', function () {
  it('gives every line of a file of several pieces, with multi-byte characters across the piece boundaries', () => {
    // Lines of varying width with 2-, 3- and 4-byte characters, so the piece cuts land inside them.
    const lines = Array.from({ length: 200_000 }, (_, i) => `${i}:${'ü'.repeat(i % 7)}€${'𝄞'.repeat(i % 3)}`);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    assert.ok(bytes.length > 2 * MIB, 'the file spans several pieces');
    assert.deepEqual([...decodeUtf8Lines(bytes, 'batch')], lines);
  });

  it('keeps a last line without a line feed, and CR of CRLF ends for the caller to trim', () => {
    assert.deepEqual([...decodeUtf8Lines(Buffer.from('a\r\nb'), 'batch')], ['a\r', 'b']);
    assert.deepEqual([...decodeUtf8Lines(Buffer.from(''), 'batch')], []);
  });

  it('drops the byte-order mark of the file and keeps a U+FEFF that happens to start a later piece', () => {
    const filler = 'x'.repeat(MIB - 1);
    const bytes = Buffer.from(`\uFEFF${filler}\n\uFEFFsecond\n`);
    assert.deepEqual([...decodeUtf8Lines(bytes, 'batch')], [filler, '\uFEFFsecond']);
  });

  it('refuses bytes that are not UTF-8 in a later piece, naming the file', () => {
    const bytes = Buffer.concat([Buffer.from(`${'x'.repeat(MIB + 10)}\n`), Buffer.from('M\xfcller\n', 'latin1')]);
    assert.throws(() => [...decodeUtf8Lines(bytes, 'queue/b.jsonl')], /^InputError: queue\/b\.jsonl: not valid UTF-8 \(write the file as UTF-8\)$/);
  });
});
