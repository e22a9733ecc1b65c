import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@smithy/core/client';

/** The identity that makes a call in production: the find task role, the forget task role, or a person (operator, auditor). */
export type LetheRole = 'find' | 'forget' | 'operator' | 'auditor';
export const LETHE_ROLES: readonly LetheRole[] = ['find', 'forget', 'operator', 'auditor'];

/** One AWS request as the SDK serialised it, tagged with the role that sends it on AWS. */
export interface RecordedAwsCall {
  role: LetheRole;
  /** e.g. S3Client */
  client: string;
  /** e.g. PutObjectCommand */
  command: string;
  /** The command input without bodies (Body, MessageBody, Entries' bodies are dropped). */
  input: Record<string, unknown>;
  /** The request headers IAM conditions read (x-amz-server-side-encryption*, x-amz-tagging, x-amz-acl, x-amz-copy-source). */
  headers: Record<string, string>;
}

const ROLE_ENV = 'LETHE_TEST_AWS_ROLE';
const CALLS_ENV = 'LETHE_TEST_AWS_CALLS';
const RECORDED_HEADERS = /^(x-amz-server-side-encryption.*|x-amz-tagging|x-amz-acl|x-amz-copy-source|x-amz-grant-.*)$/;
const BODY_FIELDS = new Set(['Body', 'MessageBody']);

const roleOfContext = new AsyncLocalStorage<LetheRole>();
const inProcess: RecordedAwsCall[] = [];
let installed = false;

/**
 * Adds a recording middleware to every AWS SDK client (all extend smithy's Client), so lethe's own
 * code runs unchanged. Calls made outside a role (test set-up, assertions) are not recorded: in a
 * child process the role is the environment's LETHE_TEST_AWS_ROLE; in this process, `asRole`.
 */
export function installAwsCallRecorder(): void {
  if (installed) return;
  installed = true;
  const withRecorder = new WeakSet<object>();
  const send = Client.prototype.send;
  Client.prototype.send = function (this: Client<never, never, never, never>, ...args: Parameters<typeof send>) {
    if (!withRecorder.has(this.middlewareStack)) {
      withRecorder.add(this.middlewareStack);
      this.middlewareStack.add(
        (next, context) => async (handlerArgs) => {
          const role = roleOfContext.getStore() ?? roleFromEnv();
          if (role) {
            const request = handlerArgs.request as { headers?: Record<string, string> } | undefined;
            keep({
              role,
              client: String(context.clientName),
              command: String(context.commandName),
              input: withoutBodies(handlerArgs.input),
              headers: Object.fromEntries(Object.entries(request?.headers ?? {}).filter(([name]) => RECORDED_HEADERS.test(name.toLowerCase())).map(([n, v]) => [n.toLowerCase(), v])),
            });
          }
          return next(handlerArgs);
        },
        { step: 'build', priority: 'low', name: 'letheIamRecorder' },
      );
    }
    return send.apply(this, args) as ReturnType<typeof send>;
  } as typeof send;
}

/** Runs `work` with every AWS call it makes recorded as `role`'s (in-process code: the console, enqueue). */
export function asRole<T>(role: LetheRole, work: () => T): T {
  installAwsCallRecorder();
  return roleOfContext.run(role, work);
}

/** The calls recorded in this process so far. */
export function recordedInProcess(): RecordedAwsCall[] {
  return [...inProcess];
}

/** Node arguments and environment that make a child process record its calls as `role` into `file` (JSON lines). */
export function recordingChild(role: LetheRole, file: string): { nodeArgs: string[]; env: Record<string, string> } {
  return { nodeArgs: ['--import', path.join(__dirname, 'recordAwsCallsInChild.ts')], env: { [ROLE_ENV]: role, [CALLS_ENV]: file } };
}

function roleFromEnv(): LetheRole | undefined {
  const role = process.env[ROLE_ENV];
  return LETHE_ROLES.find((r) => r === role);
}

function keep(call: RecordedAwsCall): void {
  const file = process.env[CALLS_ENV];
  // Appended at once: a worker stopped by a signal keeps what it did.
  if (file && !roleOfContext.getStore()) appendFileSync(file, `${JSON.stringify(call)}\n`);
  else inProcess.push(call);
}

function withoutBodies(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) return {};
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (BODY_FIELDS.has(name)) continue;
    if (name === 'Entries' && Array.isArray(value)) kept[name] = value.map((entry: unknown) => withoutBodies(entry));
    else kept[name] = value;
  }
  return kept;
}
