/** The forget workers: in-process loops locally, the Fargate service on AWS. */
export interface Fleet {
  /** Sets how many workers should run; 0 stops them once their current objects are done. */
  scale(desired: number): Promise<void>;
  /** Throws, naming why, when the workers cannot go on (each replacement died too): the job must not wait for them. */
  check(): Promise<void>;
  /** Workers currently running. */
  running(): Promise<number>;
}
