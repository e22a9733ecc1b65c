import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DataMapper } from '../shared/model/dataMapper';
import { Settings } from '../shared/model/settings';
import { GlueTableSpec, MANIFESTS_TABLE, lakeTableSpec, manifestsTableSpec } from './glueTables';
import { mapperConfigDocument } from './mapperConfigDocument';
import { CONFIG_KEY } from './resourceNames';
import { DeclaredLakeTable, LakeTable } from './stackConfig';

export interface CatalogArgs {
  /** lethe's own Glue database (the manifests table). */
  databaseName: string;
  stateBucketName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  lakeTables: LakeTable[];
  dataMappers: DataMapper[];
  settings: Settings;
}

/**
 * The Glue side: lethe's database with the manifests table, the lake tables stack config declares
 * (create: true) and their databases, and the data mappers and settings written to the state bucket
 * for the tasks. Referenced lake tables are only named in the IAM policies.
 */
export class Catalog extends pulumi.ComponentResource {
  readonly databaseName: pulumi.Output<string>;
  readonly manifestsTable: pulumi.Output<string>;
  readonly configKey: pulumi.Output<string>;

  constructor(name: string, args: CatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:catalog:Catalog', name, {}, opts);
    const parent = { parent: this };
    const database = new aws.glue.CatalogDatabase(`${name}-lethe`, { name: args.databaseName, description: 'lethe: job manifests' }, parent);
    const manifests = pulumi.output(args.stateBucketName).apply((bucket) => manifestsTableSpec(args.databaseName, bucket));
    const manifestsTable = new aws.glue.CatalogTable(`${name}-manifests`, catalogTableArgs(manifests), { parent: this, dependsOn: [database] });

    // Tables and databases of a lake that exists are referenced, never resources: `pulumi destroy`
    // cannot delete them. Those lethe declares are kept on destroy too, as other readers of the lake
    // come to rely on them.
    const declared = args.lakeTables.filter((table): table is DeclaredLakeTable => table.create);
    const lakeDatabases = new Map<string, aws.glue.CatalogDatabase>();
    for (const db of lakeDatabasesToCreate(args.lakeTables)) {
      lakeDatabases.set(db, new aws.glue.CatalogDatabase(`${name}-lake-${db}`, { name: db, description: 'lake tables declared in lethe stack config' }, { parent: this, retainOnDelete: true }));
    }
    for (const table of declared) {
      const database = lakeDatabases.get(table.database);
      new aws.glue.CatalogTable(`${name}-lake-${table.database}-${table.name}`, catalogTableArgs(pulumi.output(lakeTableSpec(table))), {
        parent: this,
        retainOnDelete: true,
        ...(database ? { dependsOn: [database] } : {}),
      });
    }

    const config = new aws.s3.BucketObjectv2(
      `${name}-config`,
      {
        bucket: args.stateBucketName,
        key: CONFIG_KEY,
        content: JSON.stringify(mapperConfigDocument({ dataMappers: args.dataMappers, settings: args.settings }), null, 2),
        contentType: 'application/json',
        serverSideEncryption: 'aws:kms',
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );
    this.databaseName = database.name;
    this.manifestsTable = manifestsTable.name.apply((n) => n ?? MANIFESTS_TABLE);
    this.configKey = config.key;
    this.registerOutputs({ databaseName: this.databaseName, manifestsTable: this.manifestsTable, configKey: this.configKey });
  }
}

/** A database lethe creates: one that holds only tables lethe declares. One holding an existing table exists already. */
export function lakeDatabasesToCreate(tables: readonly LakeTable[]): string[] {
  const databases = [...new Set(tables.map((t) => t.database))];
  return databases.filter((db) => tables.every((t) => t.database !== db || t.create));
}

function catalogTableArgs(spec: pulumi.Output<GlueTableSpec>): aws.glue.CatalogTableArgs {
  return {
    databaseName: spec.databaseName,
    name: spec.name,
    tableType: spec.tableType,
    parameters: spec.parameters,
    partitionKeys: spec.partitionKeys,
    storageDescriptor: spec.storageDescriptor,
  };
}
