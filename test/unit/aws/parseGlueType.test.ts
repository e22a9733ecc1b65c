import assert from 'node:assert/strict';
import { parseGlueType } from '../../../shared/adapters/aws/parseGlueType';

describe('parseGlueType', () => {
  it('reads the primitive Glue types', () => {
    assert.deepEqual(parseGlueType('string'), { kind: 'string' });
    assert.deepEqual(parseGlueType('varchar(64)'), { kind: 'string' });
    assert.deepEqual(parseGlueType('char(2)'), { kind: 'string' });
    assert.deepEqual(parseGlueType('tinyint'), { kind: 'int', bits: 8, signed: true });
    assert.deepEqual(parseGlueType('smallint'), { kind: 'int', bits: 16, signed: true });
    assert.deepEqual(parseGlueType('int'), { kind: 'int', bits: 32, signed: true });
    assert.deepEqual(parseGlueType('INTEGER'), { kind: 'int', bits: 32, signed: true });
    assert.deepEqual(parseGlueType('bigint'), { kind: 'int', bits: 64, signed: true });
    assert.deepEqual(parseGlueType('float'), { kind: 'float', bits: 32 });
    assert.deepEqual(parseGlueType('double'), { kind: 'float', bits: 64 });
    assert.deepEqual(parseGlueType('boolean'), { kind: 'boolean' });
    assert.deepEqual(parseGlueType('date'), { kind: 'date' });
    assert.deepEqual(parseGlueType('timestamp'), { kind: 'timestamp', unit: 'ms', withTimeZone: false });
  });

  it('keeps decimals exact, with Hive defaults for a missing precision or scale', () => {
    assert.deepEqual(parseGlueType('decimal(10,2)'), { kind: 'decimal', precision: 10, scale: 2 });
    assert.deepEqual(parseGlueType('decimal( 38 , 0 )'), { kind: 'decimal', precision: 38, scale: 0 });
    assert.deepEqual(parseGlueType('decimal(7)'), { kind: 'decimal', precision: 7, scale: 0 });
    assert.deepEqual(parseGlueType('decimal'), { kind: 'decimal', precision: 10, scale: 0 });
  });

  it('reads nested structs, with backquoted names and containers inside', () => {
    assert.deepEqual(parseGlueType('struct<id:bigint,user:struct<email:string,`first name`:varchar(20)>,tags:array<string>>'), {
      kind: 'struct',
      fields: [
        { name: 'id', type: { kind: 'int', bits: 64, signed: true } },
        {
          name: 'user',
          type: {
            kind: 'struct',
            fields: [
              { name: 'email', type: { kind: 'string' } },
              { name: 'first name', type: { kind: 'string' } },
            ],
          },
        },
        { name: 'tags', type: { kind: 'other', name: 'array<string>' } },
      ],
    });
  });

  it('reads arrays, maps, binary and unions as other types', () => {
    assert.deepEqual(parseGlueType('array<struct<a:int>>'), { kind: 'other', name: 'array<struct<a:int>>' });
    assert.deepEqual(parseGlueType('map<string,array<int>>'), { kind: 'other', name: 'map<string,array<int>>' });
    assert.deepEqual(parseGlueType('binary'), { kind: 'other', name: 'binary' });
  });

  it('rejects malformed types, quoting them', () => {
    assert.throws(() => parseGlueType('struct<a:int'), { name: 'InputError', message: /Glue type "struct<a:int"/ });
    assert.throws(() => parseGlueType('decimal(10,2'), { name: 'InputError', message: /decimal/ });
    assert.throws(() => parseGlueType('varchar'), { name: 'InputError', message: /varchar needs a length/ });
    assert.throws(() => parseGlueType('decimal(50,2)'), { name: 'InputError', message: /out of range/ });
    assert.throws(() => parseGlueType('int extra'), { name: 'InputError', message: /unexpected "extra"/ });
    assert.throws(() => parseGlueType(''), { name: 'InputError' });
  });
});
