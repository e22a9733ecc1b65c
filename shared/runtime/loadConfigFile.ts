import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { InputError, errorMessage } from '../model/errors';
import { LetheConfig, parseLetheConfig } from '../model/config';

export interface LoadedConfig extends LetheConfig {
  stateDir: string;
  configPath: string;
}

/** Reads lethe.yaml; relative folders resolve against the file's own folder. */
export async function loadConfigFile(configPath: string): Promise<LoadedConfig> {
  const absolute = path.resolve(configPath);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${configPath}: no such file (run "lethe init" to write a starter config, or pass --config)`);
    throw error;
  }
  let input: unknown;
  try {
    input = parse(text);
  } catch (error) {
    throw new InputError(`${configPath}: not valid YAML: ${errorMessage(error)}`);
  }
  const base = path.dirname(absolute);
  const config = parseLetheConfig(input, configPath, (p) => path.resolve(base, p));
  return { ...config, stateDir: config.stateDir ?? path.join(base, '.lethe'), configPath: absolute };
}
