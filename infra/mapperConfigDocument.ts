import { LetheConfig } from '../shared/model/config';
import { DataMapper } from '../shared/model/dataMapper';
import { unreachable } from '../shared/model/errors';
import { Json } from '../shared/model/fields';

/**
 * The config the tasks read from the state bucket (CONFIG_KEY), written in the input shape that
 * parseLetheConfig accepts, so the tasks parse it with the same code as lethe.yaml.
 */
export function mapperConfigDocument(config: Pick<LetheConfig, 'dataMappers' | 'settings'>): { [key: string]: Json } {
  const settings: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(config.settings)) if (value !== undefined) settings[key] = value;
  return { dataMappers: config.dataMappers.map(mapperInput), settings };
}

function mapperInput(mapper: DataMapper): { [key: string]: Json } {
  const location = mapper.location;
  let place: Json;
  switch (location.kind) {
    case 'glue':
      place = { glue: { database: location.database, table: location.table } };
      break;
    case 'prefix':
      place = location.uri;
      break;
    default:
      return unreachable(location);
  }
  return {
    id: mapper.id,
    location: place,
    ...(mapper.format ? { format: mapper.format } : {}),
    columns: [...mapper.columns],
    partitionKeys: [...mapper.partitionKeys],
    deleteOldVersions: mapper.deleteOldVersions,
    ignoreObjectNotFound: mapper.ignoreObjectNotFound,
  };
}
