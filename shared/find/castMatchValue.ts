import { ColumnType, TimeUnit } from '../model/columnType';
import { unreachable } from '../model/errors';
import { exactDecimalOfDouble, formatExactDecimal, parseExactDecimal, sameExactDecimal } from './parseExactDecimal';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const FRACTION_DIGITS: Record<TimeUnit, number> = { s: 0, ms: 3, us: 6, ns: 9 };
/** TIMESTAMP_NS is a signed 64-bit count of nanoseconds since the epoch: 1677-09-21 to 2262-04-11. */
const NS_RANGE = { min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n };

/**
 * The canonical text of `value` for a column of `type`, or undefined when the type cannot hold it
 * exactly. The database casts the canonical text to the column's type before comparing, and a cast
 * that rounds would match another person's value (`16777217` on a FLOAT is 16777216; `10:00:00.5`
 * on a TIMESTAMP_S is 10:00:01). So a value is accepted only if the type holds it exactly, casting
 * it and back gives the same value: integral forms of an integer (`17.0`, `1.7e1`) fit an integer
 * column; a fraction, a digit beyond a decimal's scale or a float's precision, or a sub-unit time
 * never does.
 */
export function castMatchValue(value: string, type: ColumnType): string | undefined {
  switch (type.kind) {
    case 'string':
      return value;
    case 'int':
      return castInteger(value, type.bits, type.signed);
    case 'decimal':
      return castDecimal(value, type.precision, type.scale);
    case 'float':
      return castFloat(value, type.bits);
    case 'date':
      return isValidDate(value) ? value : undefined;
    case 'timestamp':
      return castTimestamp(value, type.unit, type.withTimeZone);
    case 'boolean': {
      const lower = value.trim().toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : undefined;
    }
    case 'struct':
    case 'other':
      return undefined;
    default:
      return unreachable(type);
  }
}

/** An integer in its one plain spelling, small enough that Number holds it exactly. */
const PLAIN_SAFE_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;

function castInteger(value: string, bits: number, signed: boolean): string | undefined {
  // Most IDs: no exponent, fraction or big digits to read, the text already canonical.
  if (PLAIN_SAFE_INTEGER.test(value)) {
    const integer = Number(value);
    return integer >= (signed ? -(2 ** (bits - 1)) : 0) && integer <= (signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1) ? value : undefined;
  }
  const number = parseExactDecimal(value);
  // A negative exponent after trimming trailing zeros is a fraction; 40 digits exceed even 128 bits.
  if (!number || number.exponent < 0 || number.digits.length + number.exponent > 40) return undefined;
  const integer = BigInt(formatExactDecimal(number));
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  return integer >= min && integer <= max ? integer.toString() : undefined;
}

function castDecimal(value: string, precision: number, scale: number): string | undefined {
  const number = parseExactDecimal(value);
  if (!number) return undefined;
  const fractionDigits = Math.max(0, -number.exponent);
  const wholeDigits = number.digits === '0' ? 0 : Math.max(0, number.digits.length + number.exponent);
  return fractionDigits <= scale && wholeDigits <= precision - scale ? formatExactDecimal(number) : undefined;
}

/**
 * Accepted only when the float holds exactly the value given: 16777216 fits a FLOAT, 16777217 does
 * not (it would match the FLOAT 16777216, another person's id); 0.5 fits, 0.1 does not (no binary
 * float is 0.1, and a rounded match could name the neighbour of the value meant).
 */
function castFloat(value: string, bits: 32 | 64): string | undefined {
  const given = parseExactDecimal(value);
  if (!given) return undefined;
  const double = Number(value.trim());
  const number = bits === 32 ? Math.fround(double) : double;
  if (!Number.isFinite(number) || !sameExactDecimal(given, exactDecimalOfDouble(number))) return undefined;
  // The shortest text of the same double (1500, 1e+21): DuckDB and Athena read it as this float.
  return String(number);
}

function isValidDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Year 0 is read as 1 BC by DuckDB, a different day than the one written.
  if (year === 0) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function castTimestamp(value: string, unit: TimeUnit, withTimeZone: boolean): string | undefined {
  const match = TIMESTAMP.exec(value.trim());
  if (!match || !isValidDate(match[1]!)) return undefined;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = match[6];
  // A zone on a column without one would shift the instant silently; refuse it rather than guess.
  if (zone && !withTimeZone) return undefined;
  const offsetMinutes = parseZoneOffset(zone);
  if (offsetMinutes === undefined) return undefined;
  const fraction = (match[5] ?? '').replace(/0+$/, '');
  // DuckDB keeps a zoned timestamp in microseconds whatever the file's unit (Athena in milliseconds).
  if (fraction.length > Math.min(FRACTION_DIGITS[unit], withTimeZone ? 6 : 9)) return undefined;
  if (unit === 'ns') {
    const [year, month, day] = match[1]!.split('-').map(Number) as [number, number, number];
    const seconds = BigInt(Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60);
    const nanos = seconds * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
    if (nanos < NS_RANGE.min || nanos > NS_RANGE.max) return undefined;
  }
  const time = `${match[2]}:${match[3]}:${match[4] ?? '00'}${fraction ? `.${fraction}` : ''}`;
  return `${match[1]} ${time}${withTimeZone ? formatZone(offsetMinutes) : ''}`;
}

/** Minutes east of UTC; undefined for an offset no zone has (beyond ±15:59). */
function parseZoneOffset(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(-2));
  if (hours > 15 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function formatZone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
