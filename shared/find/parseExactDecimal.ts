/**
 * A number written in decimal, kept exactly: ±digits × 10^exponent, with no leading or trailing
 * zeros in `digits` (zero is digits "0", exponent 0, not negative), so two texts of the same value
 * (`17`, `17.0`, `1.7e1`) give equal parts.
 */
export interface ExactDecimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMBER = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Far beyond any column type (38 digits, float's 1e±324); larger exponents are not values we hold. */
const MAX_EXPONENT = 10_000;

/** Reads `[+-]digits[.digits][e[+-]digits]`; undefined for anything else (NaN, Infinity, hex, blanks). */
export function parseExactDecimal(text: string): ExactDecimal | undefined {
  const match = NUMBER.exec(text.trim());
  if (!match) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const written = Number(match[4] ?? '0');
  if (Math.abs(written) > MAX_EXPONENT) return undefined;
  const all = `${whole}${fraction}`.replace(/^0+/, '');
  if (all === '') return { negative: false, digits: '0', exponent: 0 };
  const digits = all.replace(/0+$/, '');
  return { negative: match[1] === '-', digits, exponent: written - fraction.length + (all.length - digits.length) };
}

export function sameExactDecimal(a: ExactDecimal, b: ExactDecimal): boolean {
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}

/** Plain notation, no exponent: `12.5`, `-0.01`, `1700`. */
export function formatExactDecimal(value: ExactDecimal): string {
  const sign = value.negative ? '-' : '';
  if (value.exponent >= 0) return `${sign}${value.digits}${'0'.repeat(value.digits === '0' ? 0 : value.exponent)}`;
  const places = -value.exponent;
  const padded = value.digits.padStart(places + 1, '0');
  return `${sign}${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
}

/** The exact value of a double (every float is one): significand × 2^exponent written in decimal. */
export function exactDecimalOfDouble(value: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const significand = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const sign = value < 0 ? '-' : '';
  // m × 2^-k = m × 5^k × 10^-k: a finite decimal, digits and exponent exact.
  const text = exponent >= 0 ? `${sign}${significand << BigInt(exponent)}` : `${sign}${significand * 5n ** BigInt(-exponent)}e${exponent}`;
  return parseExactDecimal(text)!;
}
