import { randomBytes } from 'node:crypto';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface HmacKeyArgs {
  /** The parameter's name (ResourceNames.hmacKeyParameter): the policies name it before it exists. */
  parameterName: string;
  kmsKeyArn: pulumi.Input<string>;
}

/**
 * The HMAC key match IDs are hashed with, as an SSM SecureString encrypted with lethe's key. It is
 * kept out of the state bucket, whose reports and config auditors read: with the key, anyone could
 * hash a guessed ID and find it in a report. Generated once; later `pulumi up` runs leave the value,
 * since a new key would make every stored hash unfindable. The value sits in the Pulumi state as a secret.
 */
export class HmacKey extends pulumi.ComponentResource {
  readonly parameterName: pulumi.Output<string>;

  constructor(name: string, args: HmacKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:hmacKey:HmacKey', name, {}, opts);
    const parameter = new aws.ssm.Parameter(
      name,
      {
        name: args.parameterName,
        description: 'lethe: HMAC key for match IDs (hex); readable by the find task and operators, not auditors',
        type: 'SecureString',
        keyId: args.kmsKeyArn,
        value: pulumi.secret(randomBytes(32).toString('hex')),
      },
      { parent: this, ignoreChanges: ['value'] },
    );
    this.parameterName = parameter.name;
    this.registerOutputs({ parameterName: this.parameterName });
  }
}
