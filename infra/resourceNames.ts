import { ATHENA_RESULTS_PREFIX, CONFIG_PREFIX, JOBS_PREFIX, QUEUE_PREFIX, REQUESTS_PREFIX, TMP_PREFIX } from '../shared/records/stateKeys';

/**
 * Physical names of the resources the tasks address by name. They are fixed here, once, so that IAM
 * policies, task environments and outputs can name a resource before it exists (a task definition
 * cannot carry its own ARN, and the find role must name the forget service it scales).
 */
export interface ResourceNames {
  /** lethe-<stack>: cluster, workgroup, queue and family prefix. */
  prefix: string;
  cluster: string;
  findFamily: string;
  forgetFamily: string;
  forgetService: string;
  deletionQueue: string;
  deadLetterQueue: string;
  workgroup: string;
  /** Glue database for the manifests table (Glue and Athena want [a-z0-9_]). */
  glueDatabase: string;
  repository: string;
  findLogGroup: string;
  forgetLogGroup: string;
  jobOutcomeRule: string;
  /** The EventBridge rule that runs the find task for each job request. */
  jobRequestRule: string;
  /** SNS topic of job notifications (lethe's own, job rule outcomes, alarms). */
  jobTopic: string;
  /** SSM SecureString parameter of the HMAC key. */
  hmacKeyParameter: string;
}

export function resourceNamesFor(stack: string): ResourceNames {
  const slug = stack.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'default';
  const prefix = `lethe-${slug}`;
  return {
    prefix,
    cluster: prefix,
    findFamily: `${prefix}-find`,
    forgetFamily: `${prefix}-forget`,
    forgetService: `${prefix}-forget`,
    deletionQueue: `${prefix}-deletion`,
    deadLetterQueue: `${prefix}-deletion-dlq`,
    workgroup: prefix,
    glueDatabase: `lethe_${slug.replace(/-/g, '_')}`,
    repository: prefix,
    findLogGroup: `/lethe/${slug}/find`,
    forgetLogGroup: `/lethe/${slug}/forget`,
    jobOutcomeRule: `${prefix}-job-outcome`,
    jobRequestRule: `${prefix}-job-request`,
    jobTopic: `${prefix}-jobs`,
    hmacKeyParameter: `/lethe/${slug}/hmac-key`,
  };
}

/** State bucket prefixes, shared by lifecycle rules, IAM scopes and the Athena result location. */
export const STATE_PREFIXES = {
  queue: QUEUE_PREFIX,
  jobs: JOBS_PREFIX,
  config: CONFIG_PREFIX,
  athenaResults: ATHENA_RESULTS_PREFIX,
  tmp: TMP_PREFIX,
  /** Job requests from the CLI and console: the EventBridge rule runs the find task for each. */
  requests: REQUESTS_PREFIX,
} as const;

export { CONFIG_KEY, LOCK_KEY } from '../shared/records/stateKeys';
export { MATCH_ID_TAG } from '../shared/model/matchIdTag';
