import { JobId } from '../shared/model/identifiers';
import { errorMessage } from '../shared/model/errors';
import { Job } from '../shared/model/job';
import { ForgetProgress } from '../shared/job/forgetPhase';
import { runJob } from '../shared/job/runJob';
import { ConsoleBackend } from './consoleBackend';

export interface DriveState {
  jobId: JobId;
  /** The last forget progress runJob reported: messages still queued or in flight. */
  forget?: ForgetProgress;
  /** Set when runJob itself threw (the job record says the rest). */
  error?: string;
  done: boolean;
}

/**
 * Drives jobs in the background of the console process, as the CLI does in the foreground: in local
 * mode the work queue and the forget workers live in the process that runs the job. A request only
 * starts the drive and returns; the page follows the job through the state store.
 */
export class JobDriver {
  private readonly drives = new Map<string, { state: DriveState; promise: Promise<void> }>();

  constructor(
    private readonly backend: ConsoleBackend,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts driving a job; `by` is who asked (named in the aws request). */
  drive(jobId: JobId, by: string): void {
    const running = this.drives.get(jobId);
    if (running && !running.state.done) return;
    const state: DriveState = { jobId, done: false };
    const promise = this.run(state, by);
    this.drives.set(jobId, { state, promise });
  }

  status(jobId: JobId): DriveState | undefined {
    return this.drives.get(jobId)?.state;
  }

  /** Waits for every drive to reach a terminal status or AWAITING_APPROVAL. */
  async settle(): Promise<void> {
    await Promise.all([...this.drives.values()].map((d) => d.promise));
  }

  private async run(state: DriveState, by: string): Promise<void> {
    try {
      if (this.backend.launchJob) {
        this.log(`job ${state.jobId}: find task requested by ${await this.backend.launchJob(state.jobId, by)}`);
        return;
      }
      const ended: Job = await runJob(this.backend.ports, state.jobId, {
        hmacKey: await this.backend.hmacKey(),
        onProgress: (progress) => {
          if (progress.forget) state.forget = progress.forget;
        },
      });
      this.log(`job ${ended.id}: ${ended.status}`);
    } catch (error) {
      // runJob records a failed step on the job itself; this is what it could not record.
      state.error = errorMessage(error);
      this.log(`job ${state.jobId}: driving stopped: ${state.error}`);
    } finally {
      state.done = true;
    }
  }
}
