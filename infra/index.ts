import * as path from 'node:path';
import { createLethe } from './lethe';
import { readStackConfig } from './readStackConfig';

// The image builds from the repository root whatever directory `pulumi` runs the program in.
const lethe = createLethe(readStackConfig(), { imageContext: path.resolve(__dirname, '..') });

export const region = lethe.region;
export const stateBucket = lethe.stateBucket;
export const configKey = lethe.configKey;
export const kmsKeyArn = lethe.kmsKeyArn;
export const deletionQueueUrl = lethe.deletionQueueUrl;
export const deadLetterQueueUrl = lethe.deadLetterQueueUrl;
export const athenaWorkgroup = lethe.athenaWorkgroup;
export const glueDatabase = lethe.glueDatabase;
export const clusterName = lethe.clusterName;
export const forgetServiceName = lethe.forgetServiceName;
export const findTaskDefinition = lethe.findTaskDefinition;
export const findTaskDefinitionArn = lethe.findTaskDefinitionArn;
export const subnetIds = lethe.subnetIds;
export const securityGroupId = lethe.securityGroupId;
export const imageUri = lethe.imageUri;
export const notificationTopicArn = lethe.notificationTopicArn;
export const operatorPolicyArn = lethe.operatorPolicyArn;
export const auditorPolicyArn = lethe.auditorPolicyArn;
export const letheEnvironment = lethe.letheEnvironment;
export const letheCommand = lethe.letheCommand;
export const runTaskCommand = lethe.runTaskCommand;
