import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InputError } from '../../model/errors';
import { parseHmacKey } from '../../privacy/parseHmacKey';
import { translateAwsError } from './translateAwsError';

/**
 * Reads the HMAC key from its SSM SecureString parameter, decrypted by SSM with the stack's KMS key
 * (the caller needs ssm:GetParameter on the parameter and kms:Decrypt through SSM).
 */
export async function readSsmHmacKey(client: SSMClient, name: string): Promise<Buffer> {
  const where = `SSM parameter ${name}`;
  let value: string | undefined;
  try {
    const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (answer.Parameter?.Type !== 'SecureString') throw new InputError(`${where}: is a ${answer.Parameter?.Type ?? 'parameter of no type'}, not a SecureString`);
    value = answer.Parameter.Value;
  } catch (error) {
    throw translateAwsError(error, `GetParameter ${name}`);
  }
  if (value === undefined) throw new InputError(`${where}: has no value`);
  return parseHmacKey(value, where);
}
