import { InputError } from './errors';

/**
 * Small readers for parsing `unknown` input at the edges (config, env, queue bodies, state files).
 * Each failure names the field path, so an error reads: `lethe.yaml: dataMappers[0].format: ...`.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InputError(`${where}: expected an object, got ${describeValue(value)}`);
  return value;
}

export function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new InputError(`${where}: expected a string, got ${describeValue(value)}`);
  return value;
}

export function expectNonEmptyString(value: unknown, where: string): string {
  const text = expectString(value, where);
  if (text.length === 0) throw new InputError(`${where}: must not be empty`);
  return text;
}

export function expectBoolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(`${where}: expected true or false, got ${describeValue(value)}`);
  return value;
}

export function expectInteger(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`${where}: expected a whole number from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

export function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new InputError(`${where}: expected a list, got ${describeValue(value)}`);
  return value;
}

export function expectStringArray(value: unknown, where: string): string[] {
  return expectArray(value, where).map((item, i) => expectString(item, `${where}[${i}]`));
}

export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${where}: expected one of ${allowed.join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Throws on any key not in `allowed`, so a typo in a config never passes silently. */
export function rejectUnknownKeys(record: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new InputError(`${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed.join(', ')})`);
  }
}

/** Shows the kind of a bad value without echoing long or sensitive content. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Collects problems from several parsers and throws them together, one per line. */
export function collectProblems(checks: Array<() => void>, summary: string): void {
  const problems: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (error instanceof InputError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length === 1) throw new InputError(problems[0]!);
  if (problems.length > 1) throw new InputError(`${summary}:\n  ${problems.join('\n  ')}`);
}
