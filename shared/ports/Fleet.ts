/** The forget workers: in-process loops locally, the Fargate service on AWS. */
export interface Fleet {
  /** Sets how many workers should run; 0 stops them once their current objects are done. */
  scale(desired: number): Promise<void>;
  /** Workers currently running. */
  running(): Promise<number>;
}
