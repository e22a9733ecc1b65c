export interface RunTaskTarget {
  region: string;
  cluster: string;
  /** The find task's family: run-task starts its latest ACTIVE revision. */
  family: string;
  subnetIds: string[];
  securityGroupId: string;
}

/** The AWS CLI command that starts the find task (a job from the queue) in the stack's network. */
export function runTaskCommand(t: RunTaskTarget): string {
  return [
    `aws ecs run-task --region ${t.region} --cluster ${t.cluster} --task-definition ${t.family} --launch-type FARGATE`,
    `--network-configuration 'awsvpcConfiguration={subnets=[${t.subnetIds.join(',')}],securityGroups=[${t.securityGroupId}],assignPublicIp=DISABLED}'`,
  ].join(' ');
}
