import * as pulumi from '@pulumi/pulumi';
import { LetheStackConfig, parseStackConfig } from './stackConfig';

/**
 * Reads the `lethe:*` keys of the current stack and parses them (InputError lists every problem).
 * The engine hands values over as text: objects, lists, numbers and booleans as JSON, plain strings
 * (an e-mail address) as they are.
 */
export function readStackConfig(): LetheStackConfig {
  const raw: Record<string, unknown> = {};
  // Every lethe: key, not just the known ones, so parseStackConfig rejects a misspelt key.
  for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(NAMESPACE)) raw[key.slice(NAMESPACE.length)] = configValue(text);
  }
  return parseStackConfig(raw, pulumi.getStack());
}

const NAMESPACE = 'lethe:';

function configValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
