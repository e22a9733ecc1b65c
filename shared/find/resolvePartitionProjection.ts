import { InputError, unreachable } from '../model/errors';
import { Partition } from '../ports/Catalog';
import { DateBound, DateUnit, PartitionProjection, ProjectedKey, escapeRegExp, formatDate, parseDate } from '../model/partitionProjection';

/** A partition projection with its NOW-relative ends fixed: the partitions Athena reads, as values and as locations. */
export interface ProjectedPartitions {
  /** Every partition key, in table order. */
  readonly keys: readonly string[];
  /** The values Athena projects for a key, in ascending order. */
  values(key: string): readonly string[];
  /** The partition values of the projected partition an object lies in, or undefined when it lies in none. */
  locate(uri: string): Readonly<Record<string, string>> | undefined;
}

export function isProjectedPartitions(readBy: readonly Partition[] | ProjectedPartitions): readBy is ProjectedPartitions {
  return !Array.isArray(readBy);
}

/** A date key enumerating more values than this is refused (one per second over a day is 86,400). */
export const MAX_PROJECTED_VALUES = 100_000;

/**
 * Fixes a projection at `asOf` (NOW in its ranges; a job uses its start, so find and verify plan the
 * same partitions). `location` is the table's location, under which a projection without a
 * `storage.location.template` keeps Hive folders `key=value/` in table order. `where` names the
 * mapper and table in errors.
 */
export function resolvePartitionProjection(projection: PartitionProjection, location: string, asOf: Date, where: string): ProjectedPartitions {
  const domains = new Map(projection.keys.map((key) => [key.key, domainOf(key, asOf, where)]));
  const template = projection.template ?? hiveTemplate(location, projection.keys.map((k) => k.key));
  const matcher = templateMatcher(template, (key) => domains.get(key)!.pattern);
  return {
    keys: projection.keys.map((k) => k.key),
    values: (key) => {
      const domain = domains.get(key);
      if (!domain) throw new InputError(`${where}: "${key}" is not a projected partition key (${[...domains.keys()].join(', ')})`);
      return domain.values();
    },
    locate: (uri) => {
      const found = matcher(uri);
      if (!found) return undefined;
      for (const [key, value] of Object.entries(found)) if (!domains.get(key)!.has(value)) return undefined;
      return found;
    },
  };
}

interface KeyDomain {
  /** A regular expression source matching any text the key's values could be written as. */
  pattern: string;
  has(value: string): boolean;
  values(): readonly string[];
}

function domainOf(key: ProjectedKey, asOf: Date, where: string): KeyDomain {
  switch (key.kind) {
    case 'enum': {
      const set = new Set(key.values);
      const sorted = [...set].sort((a, b) => b.length - a.length);
      return { pattern: sorted.map(escapeRegExp).join('|'), has: (v) => set.has(v), values: () => [...set] };
    }
    case 'integer': {
      const render = (n: number) => renderInteger(n, key.digits);
      const count = Math.floor((key.max - key.min) / key.interval) + 1;
      return {
        pattern: '-?\\d+',
        has: (v) => {
          if (!/^-?\d+$/.test(v)) return false;
          const n = Number(v);
          return Number.isSafeInteger(n) && n >= key.min && n <= key.max && (n - key.min) % key.interval === 0 && render(n) === v;
        },
        values: () => {
          if (count > MAX_PROJECTED_VALUES) throw new InputError(`${where}: integer projection of key "${key.key}" has ${count} values, over the ${MAX_PROJECTED_VALUES} lethe plans queries for: leave "${key.key}" out of the mapper's partitionKeys`);
          return Array.from({ length: count }, (_, i) => render(key.min + i * key.interval));
        },
      };
    }
    case 'date': {
      const values = enumerateDates(key, asOf, where);
      const set = new Set(values);
      const pattern = key.format.map((t) => (t.kind === 'literal' ? escapeRegExp(t.text) : t.field === 'year' ? '\\d{4}' : '\\d{2}')).join('');
      return { pattern, has: (v) => set.has(v) && parseDate(v, key.format) !== undefined, values: () => values };
    }
    default:
      return unreachable(key);
  }
}

/** Java's %0Nd: the sign counts toward the width. */
function renderInteger(n: number, digits: number | undefined): string {
  if (digits === undefined) return String(n);
  return n < 0 ? `-${String(-n).padStart(digits - 1, '0')}` : String(n).padStart(digits, '0');
}

/** start, start + interval, ... up to end (inclusive), formatted; each step is counted from start, so month ends do not drift. */
function enumerateDates(key: Extract<ProjectedKey, { kind: 'date' }>, asOf: Date, where: string): string[] {
  const start = resolveBound(key.start, asOf);
  const end = resolveBound(key.end, asOf);
  const values: string[] = [];
  const seen = new Set<string>();
  for (let step = 0; ; step++) {
    const at = addUnits(start, step * key.interval, key.unit);
    if (at > end) break;
    if (step >= MAX_PROJECTED_VALUES) {
      throw new InputError(`${where}: date projection of key "${key.key}" (range ${describeBound(key.start)} to ${describeBound(key.end)}, every ${key.interval} ${key.unit}) has more than ${MAX_PROJECTED_VALUES} values; not supported`);
    }
    const text = formatDate(at, key.format);
    if (!seen.has(text)) values.push(text);
    seen.add(text);
  }
  return values;
}

function resolveBound(bound: DateBound, asOf: Date): number {
  return bound.kind === 'fixed' ? bound.epochMs : addUnits(asOf.getTime(), bound.offset, bound.unit);
}

function describeBound(bound: DateBound): string {
  return bound.kind === 'fixed' ? new Date(bound.epochMs).toISOString() : bound.offset === 0 ? 'NOW' : `NOW${bound.offset > 0 ? '+' : ''}${bound.offset}${bound.unit}`;
}

const FIXED_UNIT_MS: Partial<Record<DateUnit, number>> = { WEEKS: 7 * 86_400_000, DAYS: 86_400_000, HOURS: 3_600_000, MINUTES: 60_000, SECONDS: 1000 };

/** Adds whole units in UTC; months and years keep the day of month, clamped to the month's last day (as java.time does). */
export function addUnits(epochMs: number, amount: number, unit: DateUnit): number {
  const fixed = FIXED_UNIT_MS[unit];
  if (fixed !== undefined) return epochMs + amount * fixed;
  const d = new Date(epochMs);
  const months = d.getUTCFullYear() * 12 + d.getUTCMonth() + (unit === 'YEARS' ? amount * 12 : amount);
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const at = new Date(epochMs);
  at.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay));
  return at.getTime();
}

function hiveTemplate(location: string, keys: readonly string[]): string {
  const base = location.endsWith('/') ? location : `${location}/`;
  return base + keys.map((key) => `${key}=\${${key}}/`).join('');
}

/**
 * A matcher of object URIs against a location template: the values of its placeholders when the
 * object lies below one rendering of it. A partition is a folder, so the template ends in `/` and
 * Athena reads every object below it.
 */
function templateMatcher(template: string, patternOf: (key: string) => string): (uri: string) => Record<string, string> | undefined {
  const folder = template.endsWith('/') ? template : `${template}/`;
  const keys: string[] = [];
  const source = folder.split(/(\$\{[^}]*\})/).map((part) => {
    const placeholder = /^\$\{([^}]*)\}$/.exec(part);
    if (!placeholder) return escapeRegExp(part);
    keys.push(placeholder[1]!);
    return `(${patternOf(placeholder[1]!)})`;
  });
  const regex = new RegExp(`^${source.join('')}.`);
  return (uri) => {
    const match = regex.exec(uri);
    if (!match) return undefined;
    const values: Record<string, string> = {};
    for (const [i, key] of keys.entries()) {
      const value = match[i + 1]!;
      if (values[key] !== undefined && values[key] !== value) return undefined;
      values[key] = value;
    }
    return values;
  };
}
