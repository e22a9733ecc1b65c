/** IAM policy JSON as lethe writes it: actions and resources always as lists, never `*` actions. */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Action: string[];
  Resource?: string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** ARN pieces the policies are scoped with. */
export interface AwsScope {
  partition: string;
  region: string;
  accountId: string;
}
