import { Catalog } from './Catalog';
import { Fleet } from './Fleet';
import { Notifier } from './Notifier';
import { ObjectStore } from './ObjectStore';
import { QueryExecutor } from './QueryExecutor';
import { StateStore } from './StateStore';
import { WorkQueue } from './WorkQueue';

/** Everything the job logic touches outside the process, built once by a task from its config or env. */
export interface Ports {
  lake: ObjectStore;
  state: StateStore;
  queue: WorkQueue;
  queries: QueryExecutor;
  catalog: Catalog;
  fleet: Fleet;
  /** Tells people a job awaits approval or has ended. */
  notifier: Notifier;
  /** Scratch space for downloads and rewrites (a local folder in both modes). */
  tempDirectory: string;
}
