#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEBUG_VARIABLE } from '../shared/environment/awsEnvironment';
import { InputError, errorMessage } from '../shared/model/errors';
import { parseJobId } from '../shared/model/identifiers';
import { isTerminal } from '../shared/model/job';
import { CliContext } from './cliContext';
import { consoleCommand } from './commands/consoleCommand';
import { demoCommand } from './commands/demoCommand';
import { initCommand } from './commands/initCommand';
import {
  jobApproveCommand,
  jobCancelCommand,
  jobEventsCommand,
  jobListCommand,
  jobRejectCommand,
  jobReportCommand,
  jobStartCommand,
  jobStatusCommand,
} from './commands/jobCommands';
import { enqueueCommand, queueListCommand, queueRemoveCommand } from './commands/queueCommands';
import { runWorker } from './forget';

const USAGE = `usage: lethe [--config PATH] [--json] COMMAND
  demo [--dir D] [--rows N]        sample lake, queue, one job, report
  init                             write a starter lethe.yaml
  enqueue [--mapper M]... ID... | --file F [--format txt|csv|jsonl] | --composite a=1,b=x
                                   (--file - reads standard input; it needs --format)
  queue list [--offset N] [--limit N] | queue remove ITEM...
  job start [--wait] | job list | job status JOB | job events JOB
  job report JOB [--format json|html|md] | job approve JOB [--wait] | job reject JOB | job cancel JOB
  console [--port P]               the web console on 127.0.0.1
  worker                           the forget worker loop (aws mode: what the Fargate service runs)`;

/** Exit codes: 0 success, 1 bad usage/config/input, 2 a waited-for job ended other than COMPLETED. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'lethe.yaml' },
      json: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      dir: { type: 'string', default: 'lethe-demo' },
      rows: { type: 'string', default: '20000' },
      mapper: { type: 'string', multiple: true, default: [] },
      file: { type: 'string' },
      composite: { type: 'string', multiple: true, default: [] },
      offset: { type: 'string', default: '0' },
      limit: { type: 'string', default: '50' },
      format: { type: 'string' },
      port: { type: 'string', default: '8080' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const context = new CliContext(values.config, values.json);
  try {
    switch (command) {
      case 'demo': {
        const { context: demo, job } = await demoCommand(values.dir, wholeNumber(values.rows, '--rows', 1), values.json);
        await demo.close();
        return job.status === 'COMPLETED' ? 0 : 2;
      }
      case 'init':
        await initCommand(values.config);
        return 0;
      case 'enqueue':
        await enqueueCommand(context, {
          ids: [sub, ...rest].filter((v): v is string => v !== undefined),
          composite: values.composite,
          mappers: values.mapper,
          ...(values.file ? { file: values.file } : {}),
          ...(values.format !== undefined ? { format: values.format } : {}),
        });
        return 0;
      case 'queue':
        if (sub === 'list') await queueListCommand(context, { offset: wholeNumber(values.offset, '--offset', 0), limit: wholeNumber(values.limit, '--limit', 1) });
        else if (sub === 'remove') await queueRemoveCommand(context, rest);
        else throw new InputError(`queue ${sub ?? ''}: expected "queue list" or "queue remove ITEM..."`);
        return 0;
      case 'job':
        return await runJobCommand(context, sub, rest[0], values);
      case 'worker':
        return await workerCommand(context);
      case 'console':
        await consoleCommand(context, values.port);
        return 0;
      default:
        throw new InputError(`unknown command "${command}"\n${USAGE}`);
    }
  } finally {
    await context.close();
  }
}

async function runJobCommand(context: CliContext, sub: string | undefined, jobId: string | undefined, values: { wait: boolean; format?: string }): Promise<number> {
  const needId = () => {
    if (!jobId) throw new InputError(`job ${sub}: name the job (see lethe job list)`);
    return parseJobId(jobId);
  };
  const exitFor = (status: string) => (values.wait && status !== 'COMPLETED' && status !== 'AWAITING_APPROVAL' ? 2 : 0);
  switch (sub) {
    case 'start':
      return exitFor((await jobStartCommand(context, values.wait)).status);
    case 'list':
      await jobListCommand(context);
      return 0;
    case 'status':
      await jobStatusCommand(context, needId());
      return 0;
    case 'events':
      await jobEventsCommand(context, needId());
      return 0;
    case 'report':
      await jobReportCommand(context, needId(), values.format ?? 'json');
      return 0;
    case 'approve': {
      const job = await jobApproveCommand(context, needId(), values.wait);
      return isTerminal(job.status) ? exitFor(job.status) : 0;
    }
    case 'reject':
      await jobRejectCommand(context, needId());
      return 0;
    case 'cancel':
      await jobCancelCommand(context, needId());
      return 0;
    default:
      throw new InputError(`job ${sub ?? ''}: expected start, list, status, events, report, approve, reject or cancel`);
  }
}

/** The forget worker loop, as the Fargate service runs it; locally a job runs its workers in-process. */
async function workerCommand(context: CliContext): Promise<number> {
  if (context.mode !== 'aws') throw new InputError('worker: locally, "lethe job start" runs the workers in its own process; set LETHE_MODE=aws and the stack environment to run a Fargate-style worker');
  const stop = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) process.once(name, () => stop.abort());
  return runWorker(await context.runtime(), stop.signal);
}

function wholeNumber(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new InputError(`${flag} ${text}: expected a whole number of at least ${min}`);
  return value;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // One clear line; the stack only when asked for, since users act on the message.
      process.stderr.write(`lethe: ${errorMessage(error)}\n`);
      if (error instanceof Error && process.env[DEBUG_VARIABLE]) process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
