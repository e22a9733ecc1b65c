import { DataMapper, parseDataMappers } from './dataMapper';
import { expectNonEmptyString, expectRecord, rejectUnknownKeys } from './fields';
import { Settings, parseSettings } from './settings';

/** lethe.yaml, or the config the Pulumi program writes to the state bucket. */
export interface LetheConfig {
  /** Local mode: the state directory, absolute. */
  stateDir?: string;
  dataMappers: DataMapper[];
  settings: Settings;
}

/**
 * Parses a whole config. `resolvePath` makes relative folders absolute (local mode passes one that
 * resolves against the config file's folder); `where` names the source in every error.
 */
export function parseLetheConfig(input: unknown, where: string, resolvePath: (path: string) => string = (p) => p): LetheConfig {
  const record = expectRecord(input ?? {}, where);
  rejectUnknownKeys(record, ['stateDir', 'dataMappers', 'settings'], where);
  const dataMappers = record.dataMappers === undefined ? [] : parseDataMappers(record.dataMappers, `${where}: dataMappers`, resolvePath);
  const settings = parseSettings(record.settings, `${where}: settings`);
  const stateDir = record.stateDir === undefined ? undefined : resolvePath(expectNonEmptyString(record.stateDir, `${where}: stateDir`));
  return { ...(stateDir ? { stateDir } : {}), dataMappers, settings };
}
