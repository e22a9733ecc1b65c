import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { GlueTableRef, S3Location } from './lakeScope';

export interface LakeFormationArgs {
  partition: pulumi.Input<string>;
  findRoleArn: pulumi.Input<string>;
  forgetRoleArn: pulumi.Input<string>;
  /** The tables the find task queries: every mapped table and lethe's manifests table. */
  tables: GlueTableRef[];
  /** The mapped tables' locations, which the forget task rewrites. */
  locations: S3Location[];
}

/** One grant: who, what, on which table or location. Pure, so the grants are unit-tested without Pulumi. */
export interface LakeFormationGrant {
  role: 'find' | 'forget';
  permissions: string[];
  on: { table: GlueTableRef } | { location: S3Location };
}

/**
 * What the task roles need on governed tables: the find task's Athena queries read the tables
 * (SELECT, DESCRIBE); the forget task rewrites objects under each table's location (DATA_LOCATION_ACCESS
 * on it). Lake Formation checks these besides IAM once a table is governed, so with IAM alone every
 * find query would fail with "Insufficient Lake Formation permission(s)".
 */
export function lakeFormationGrants(tables: readonly GlueTableRef[], locations: readonly S3Location[]): LakeFormationGrant[] {
  return [
    ...tables.map((table): LakeFormationGrant => ({ role: 'find', permissions: ['SELECT', 'DESCRIBE'], on: { table } })),
    ...locations.map((location): LakeFormationGrant => ({ role: 'forget', permissions: ['DATA_LOCATION_ACCESS'], on: { location } })),
  ];
}

/**
 * The stack's Lake Formation grants (the `lethe:lakeFormation` option). The locations must be
 * registered with Lake Formation by the lake's administrator; the deployer must be a Lake Formation
 * administrator (or hold these permissions with the grant option).
 */
export class LakeFormation extends pulumi.ComponentResource {
  constructor(name: string, args: LakeFormationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:lakeFormation:LakeFormation', name, {}, opts);
    for (const grant of lakeFormationGrants(args.tables, args.locations)) {
      const principal = grant.role === 'find' ? args.findRoleArn : args.forgetRoleArn;
      if ('table' in grant.on) {
        const { database, table } = grant.on.table;
        new aws.lakeformation.Permissions(`${name}-${grant.role}-${database}-${table}`, { principal, permissions: grant.permissions, table: { databaseName: database, name: table } }, { parent: this });
      } else {
        const { bucket, prefix } = grant.on.location;
        const arn = pulumi.interpolate`arn:${args.partition}:s3:::${bucket}${prefix ? `/${prefix.replace(/\/$/, '')}` : ''}`;
        new aws.lakeformation.Permissions(`${name}-${grant.role}-${bucket}-${prefix.replace(/\/$/, '').replace(/\//g, '-')}`, { principal, permissions: grant.permissions, dataLocation: { arn } }, { parent: this });
      }
    }
    this.registerOutputs({});
  }
}
