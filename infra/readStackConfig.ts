import * as pulumi from '@pulumi/pulumi';
import { LetheStackConfig, STACK_CONFIG_KEYS, parseStackConfig } from './stackConfig';

/**
 * Reads the `lethe:*` keys of the current stack and parses them (InputError lists every problem).
 * The engine hands values over as text: objects, lists, numbers and booleans as JSON, plain strings
 * (an e-mail address) as they are.
 */
export function readStackConfig(): LetheStackConfig {
  const config = new pulumi.Config('lethe');
  const raw: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const text = config.get(key);
    if (text !== undefined) raw[key] = configValue(text);
  }
  return parseStackConfig(raw, pulumi.getStack());
}

function configValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
