import { ColumnType } from '../model/columnType';
import { unreachable } from '../model/errors';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The canonical text of `value` for a column of `type`, or undefined when it cannot be such a value.
 * "17" casts to an integer and a string column; "ann@x.org" only to a string. The database casts the
 * canonical text again, so it must be exactly representable (no rounding of decimals, no overflow).
 */
export function castMatchValue(value: string, type: ColumnType): string | undefined {
  switch (type.kind) {
    case 'string':
      return value;
    case 'int':
      return castInteger(value, type.bits, type.signed);
    case 'decimal':
      return castDecimal(value, type.precision, type.scale);
    case 'float': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return undefined;
      const number = Number(value);
      return Number.isFinite(number) ? String(number) : undefined;
    }
    case 'date':
      return isValidDate(value) ? value : undefined;
    case 'timestamp':
      return castTimestamp(value, type.withTimeZone);
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

function castInteger(value: string, bits: number, signed: boolean): string | undefined {
  const text = value.trim();
  if (!INTEGER.test(text)) return undefined;
  const number = BigInt(text);
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  return number >= min && number <= max ? number.toString() : undefined;
}

function castDecimal(value: string, precision: number, scale: number): string | undefined {
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const sign = match[1] === '-' ? '-' : '';
  const whole = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  // A value with more fractional digits than the scale would be rounded by the cast: not the same value.
  if (fraction.length > scale) return undefined;
  const wholeDigits = whole === '0' ? 0 : whole.length;
  if (wholeDigits > precision - scale) return undefined;
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

function isValidDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function castTimestamp(value: string, withTimeZone: boolean): string | undefined {
  const match = TIMESTAMP.exec(value.trim());
  if (!match || !isValidDate(match[1]!)) return undefined;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = match[6];
  // A zone on a column without one would shift the instant silently; refuse it rather than guess.
  if (zone && !withTimeZone) return undefined;
  const fraction = match[5] ? `.${match[5]}` : '';
  const time = `${match[2]}:${match[3]}:${match[4] ?? '00'}${fraction}`;
  return `${match[1]} ${time}${withTimeZone ? normalizeZone(zone) : ''}`;
}

function normalizeZone(zone: string | undefined): string {
  if (!zone || zone === 'Z') return '+00:00';
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}
