import * as pulumi from '@pulumi/pulumi';
import { LetheStackConfig, STACK_CONFIG_KEYS, parseStackConfig } from './stackConfig';

/** Reads the `lethe:*` keys of the current stack and parses them (InputError lists every problem). */
export function readStackConfig(): LetheStackConfig {
  const config = new pulumi.Config('lethe');
  const raw: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const value = config.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseStackConfig(raw, pulumi.getStack());
}
