import { Column, ColumnType } from '../../model/columnType';
import { InputError } from '../../model/errors';

/**
 * Translates a Glue/Hive type string (`bigint`, `varchar(64)`, `decimal(10,2)`,
 * `struct<id:bigint,email:string>`, `array<string>`) into a ColumnType. Lists, maps, binary and
 * unions become `other`: readable, never compared with a match. Glue `timestamp` is millisecond
 * precision, as Athena reads it. Malformed text throws an InputError quoting it.
 */
export function parseGlueType(text: string): ColumnType {
  const parser = new GlueTypeParser(text);
  const type = parser.parseType();
  parser.expectEnd();
  return type;
}

const int = (bits: 8 | 16 | 32 | 64): ColumnType => ({ kind: 'int', bits, signed: true });

const PRIMITIVES: Record<string, ColumnType> = {
  string: { kind: 'string' },
  tinyint: int(8),
  byte: int(8),
  smallint: int(16),
  short: int(16),
  int: int(32),
  integer: int(32),
  bigint: int(64),
  long: int(64),
  float: { kind: 'float', bits: 32 },
  real: { kind: 'float', bits: 32 },
  double: { kind: 'float', bits: 64 },
  boolean: { kind: 'boolean' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp', unit: 'ms', withTimeZone: false },
  timestamptz: { kind: 'timestamp', unit: 'ms', withTimeZone: true },
};

class GlueTypeParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parseType(): ColumnType {
    const start = this.position;
    const name = this.word().toLowerCase();
    switch (name) {
      case 'struct':
        return { kind: 'struct', fields: this.structFields() };
      case 'array':
      case 'map':
      case 'uniontype':
        this.skipAngleBrackets(name);
        return { kind: 'other', name: this.text.slice(start, this.position).trim() };
      case 'varchar':
      case 'char':
        this.numbers(name, 1, 1);
        return { kind: 'string' };
      case 'decimal':
      case 'numeric': {
        // Hive: decimal means decimal(10,0); decimal(p) means decimal(p,0).
        const [precision = 10, scale = 0] = this.numbers(name, 0, 2);
        if (precision < 1 || precision > 38 || scale > precision) throw this.error(`decimal(${precision},${scale}) is out of range`);
        return { kind: 'decimal', precision, scale };
      }
      case 'double':
        // `double precision` is Hive's synonym for double.
        if (/^\s+precision\b/i.test(this.text.slice(this.position))) this.word();
        return { kind: 'float', bits: 64 };
      case 'timestamp':
        if (/^\s+with\s+(local\s+)?time\s+zone\b/i.test(this.text.slice(this.position))) {
          while (!/zone$/i.test(this.word()));
          return { kind: 'timestamp', unit: 'ms', withTimeZone: true };
        }
        return PRIMITIVES.timestamp!;
      default: {
        const primitive = PRIMITIVES[name];
        if (primitive) return primitive;
        if (this.peek() === '(' || this.peek() === '<') throw this.error(`unknown type "${name}"`);
        return { kind: 'other', name };
      }
    }
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.position < this.text.length) throw this.error(`unexpected "${this.text.slice(this.position)}"`);
  }

  private structFields(): Column[] {
    this.expect('<');
    const fields: Column[] = [];
    if (this.peek() === '>') {
      this.position++;
      return fields;
    }
    for (;;) {
      const name = this.fieldName();
      this.expect(':');
      fields.push({ name, type: this.parseType() });
      this.skipComment();
      const next = this.next();
      if (next === '>') return fields;
      if (next !== ',') throw this.error(`expected "," or ">" in struct, got ${next === undefined ? 'the end' : `"${next}"`}`);
    }
  }

  /** A struct field name: a bare word, or `back quoted` with `` for a literal backquote. */
  private fieldName(): string {
    this.skipSpace();
    if (this.text[this.position] !== '`') {
      const match = /^[^:<>,\s`]+/.exec(this.text.slice(this.position));
      if (!match) throw this.error('expected a struct field name');
      this.position += match[0].length;
      return match[0];
    }
    let name = '';
    this.position++;
    while (this.position < this.text.length) {
      const ch = this.text[this.position]!;
      if (ch === '`' && this.text[this.position + 1] === '`') {
        name += '`';
        this.position += 2;
      } else if (ch === '`') {
        this.position++;
        return name;
      } else {
        name += ch;
        this.position++;
      }
    }
    throw this.error('unterminated `quoted` field name');
  }

  /** `COMMENT 'text'` after a struct field, as DDL-created Glue tables sometimes keep it. */
  private skipComment(): void {
    const match = /^\s+comment\s+'(?:[^'\\]|\\.)*'/i.exec(this.text.slice(this.position));
    if (match) this.position += match[0].length;
  }

  private numbers(type: string, min: number, max: number): number[] {
    if (this.peek() !== '(') {
      if (min > 0) throw this.error(`${type} needs a length, like ${type}(64)`);
      return [];
    }
    this.position++;
    const values: number[] = [];
    for (;;) {
      this.skipSpace();
      const match = /^\d+/.exec(this.text.slice(this.position));
      if (!match) throw this.error(`expected a number in ${type}(...)`);
      this.position += match[0].length;
      values.push(Number(match[0]));
      const next = this.next();
      if (next === ')') break;
      if (next !== ',') throw this.error(`expected "," or ")" in ${type}(...)`);
    }
    if (values.length < min || values.length > max) throw this.error(`${type} takes ${min === max ? min : `${min} to ${max}`} numbers`);
    return values;
  }

  private skipAngleBrackets(type: string): void {
    this.expect('<');
    let depth = 1;
    while (depth > 0) {
      const ch = this.text[this.position++];
      if (ch === undefined) throw this.error(`unterminated ${type}<...>`);
      if (ch === '<') depth++;
      else if (ch === '>') depth--;
    }
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position));
    if (!match) throw this.error('expected a type name');
    this.position += match[0].length;
    return match[0];
  }

  private expect(ch: string): void {
    const got = this.next();
    if (got !== ch) throw this.error(`expected "${ch}", got ${got === undefined ? 'the end' : `"${got}"`}`);
  }

  private next(): string | undefined {
    this.skipSpace();
    return this.text[this.position++];
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.position];
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  private error(problem: string): InputError {
    return new InputError(`Glue type "${this.text}": ${problem} (at character ${this.position})`);
  }
}
