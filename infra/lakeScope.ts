import { DataMapper } from '../shared/model/dataMapper';
import { LakeTable, bucketOf, keyPrefixOf } from './stackConfig';

/** One S3 prefix a role may touch: `prefix` '' means the whole bucket. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export interface GlueTableRef {
  database: string;
  table: string;
}

/** What the mapped tables reach: their Glue tables and the S3 prefixes under them. */
export interface LakeScope {
  tables: GlueTableRef[];
  locations: S3Location[];
}

/**
 * The lake a stack's mappers reach: only mapped tables and their locations, so a table declared in
 * Glue but not mapped stays out of the roles. A location inside another is dropped (its parent covers it).
 */
export function lakeScopeFor(mappers: readonly DataMapper[], tables: readonly LakeTable[]): LakeScope {
  const mapped: LakeTable[] = [];
  for (const mapper of mappers) {
    if (mapper.location.kind !== 'glue') continue;
    const { database, table } = mapper.location;
    const found = tables.find((t) => t.database === database && t.name === table);
    if (found && !mapped.includes(found)) mapped.push(found);
  }
  const all = mapped.map((t) => ({ bucket: bucketOf(t.location), prefix: keyPrefixOf(t.location) }));
  const locations = all
    .filter((loc, i) => !all.some((other, j) => j !== i && other.bucket === loc.bucket && loc.prefix.startsWith(other.prefix) && (other.prefix !== loc.prefix || j < i)))
    .sort((a, b) => `${a.bucket}/${a.prefix}`.localeCompare(`${b.bucket}/${b.prefix}`));
  return { tables: mapped.map((t) => ({ database: t.database, table: t.name })), locations };
}
