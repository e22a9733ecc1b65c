import { readFile } from 'node:fs/promises';
import { getDenialReasons, runSimulation } from '@cloud-copilot/iam-simulate';
import { LetheRole, RecordedAwsCall } from './awsCallRecorder';
import { DeployedPolicies } from './deployedPolicies';
import { IamRequest, NameMap, iamRequestsFor } from './iamRequestsFor';

/** A recorded call that the deployed policies would refuse, and why. */
export interface DeniedCall {
  role: LetheRole;
  /** e.g. "S3 PutObject s3://lethe-state/lock.json" */
  call: string;
  action: string;
  resource: string;
  /** e.g. 'explicitly, by statement "DenyOtherKey" of the resource policy lethe-iam-state-policy' */
  reason: string;
}

/** Reads the JSON lines a recording child process wrote (a missing file means it made no call). */
export async function readRecordedCalls(file: string): Promise<RecordedAwsCall[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as RecordedAwsCall);
}

/**
 * Evaluates every IAM request behind the recorded calls, as the role that makes it in production,
 * against the role's identity policies and the resource's policy (bucket, queue, key, topic) with
 * @cloud-copilot/iam-simulate. Identical requests are evaluated once.
 */
export async function findDeniedCalls(calls: readonly RecordedAwsCall[], names: NameMap): Promise<DeniedCall[]> {
  const seen = new Set<string>();
  const denied: DeniedCall[] = [];
  for (const call of calls) {
    for (const request of iamRequestsFor(call, names)) {
      const id = JSON.stringify([call.role, request]);
      if (seen.has(id)) continue;
      seen.add(id);
      const reason = await denialOf(call.role, request, names.deployed);
      if (reason) denied.push({ role: call.role, call: describeCall(call), action: request.action, resource: request.resource, reason });
    }
  }
  return denied;
}

/** Fails, naming each refused call, its role and the statement that refused it. */
export async function assertCallsAllowed(calls: readonly RecordedAwsCall[], names: NameMap): Promise<void> {
  if (calls.length === 0) throw new Error('no AWS call was recorded: the recorder is not installed where the calls are made');
  const denied = await findDeniedCalls(calls, names);
  if (denied.length === 0) return;
  // One line per role, action and reason: the first call that met it, and how many more did.
  const groups = new Map<string, { first: DeniedCall; more: number }>();
  for (const d of denied) {
    const key = JSON.stringify([d.role, d.action, d.reason]);
    const group = groups.get(key);
    if (group) group.more++;
    else groups.set(key, { first: d, more: 0 });
  }
  const lines = [...groups.values()].map(
    ({ first: d, more }) => `- ${d.role} role: ${d.call} needs ${d.action} on ${d.resource}: denied ${d.reason}${more > 0 ? ` (and ${more} more like it)` : ''}`,
  );
  throw new Error(`${denied.length} IAM request${denied.length === 1 ? '' : 's'} the deployed policies refuse:\n${lines.join('\n')}`);
}

async function denialOf(role: LetheRole, request: IamRequest, deployed: DeployedPolicies): Promise<string | undefined> {
  const identity = deployed.identities[role];
  const resourcePolicy = resourcePolicyFor(request.resource, deployed);
  const response = await runSimulation(
    {
      request: { principal: identity.principal, action: request.action, resource: { resource: request.resource, accountId: deployed.account }, contextVariables: request.context },
      identityPolicies: identity.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
    },
    {},
  );
  if (response.resultType === 'error') return `(the simulation refused the request: ${response.errors.message} ${JSON.stringify(response.errors)})`;
  if (response.overallResult === 'Allowed') return undefined;
  const analysis = response.resultType === 'single' ? response.result.analysis : response.results[0]!.analysis;
  const reasons = getDenialReasons(analysis).map((d) => {
    const policy = d.policyType === 'resource' ? `the resource policy ${resourcePolicy?.name ?? '(none)'}` : `the ${d.policyType} policies of ${identity.policies.map((p) => p.name).join(', ')}`;
    return d.denialType === 'Explicit' ? `explicitly, by statement "${d.statementId ?? `#${d.statementIndex}`}" of ${policy}` : `implicitly: no statement of ${policy} allows it`;
  });
  return reasons.length > 0 ? reasons.join('; ') : String(response.overallResult);
}

function resourcePolicyFor(resource: string, deployed: DeployedPolicies): { name: string; policy: unknown } | undefined {
  const s3 = /^arn:aws:s3:::([^/]+)/.exec(resource);
  return deployed.resourcePolicies[s3 ? `arn:aws:s3:::${s3[1]}` : resource];
}

function describeCall(call: RecordedAwsCall): string {
  const i = call.input;
  const where = typeof i.Bucket === 'string' ? `s3://${i.Bucket}/${typeof i.Key === 'string' ? i.Key : typeof i.Prefix === 'string' ? i.Prefix : ''}` : String(i.QueueUrl ?? i.service ?? i.WorkGroup ?? i.Name ?? i.TopicArn ?? i.taskDefinition ?? '');
  return `${call.client.replace(/Client$/, '')} ${call.command.replace(/Command$/, '')} ${where}`.trim();
}

/** The same policies with `action` taken out of every Allow statement of `role`'s identity policies. */
export function withoutPermission(deployed: DeployedPolicies, role: LetheRole, action: string): DeployedPolicies {
  const copy = structuredClone(deployed);
  for (const { policy } of copy.identities[role].policies) {
    for (const statement of policy.Statement) if (statement.Effect === 'Allow') statement.Action = statement.Action.filter((a) => a !== action);
    policy.Statement = policy.Statement.filter((s) => s.Action.length > 0);
  }
  return copy;
}
