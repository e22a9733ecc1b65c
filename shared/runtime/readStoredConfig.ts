import { AWS_ENVIRONMENT } from '../environment/awsEnvironment';
import { LetheConfig, parseLetheConfig } from '../model/config';
import { InputError } from '../model/errors';
import { StateStore } from '../ports/StateStore';
import { StateKey } from '../model/identifiers';

/** The config the Pulumi program writes to the state bucket (LETHE_CONFIG_KEY), parsed like lethe.yaml. */
export async function readStoredConfig(state: StateStore, key: StateKey): Promise<LetheConfig> {
  const where = state.describe(key);
  const stored = await state.read(key);
  if (!stored) throw new InputError(`${where}: no lethe config in the state bucket (pulumi up writes it; check ${AWS_ENVIRONMENT.configKey.name})`, { field: AWS_ENVIRONMENT.configKey.name });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.body.toString('utf8'));
  } catch (error) {
    throw new InputError(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const config = parseLetheConfig(parsed, where);
  // Auditors read this object; a key in it would let them hash guessed IDs and match them to reports.
  if (config.settings.hmacKey !== undefined) {
    throw new InputError(
      `${where}: settings.hmacKey is not used on AWS: the HMAC key is the SSM parameter ${AWS_ENVIRONMENT.hmacKeyParameter.name} names, and a key in this config would be readable by auditors`,
      { field: 'settings.hmacKey' },
    );
  }
  return config;
}
