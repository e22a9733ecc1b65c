import { Settings } from '../../shared/model/settings';
import { describeMapperLocation } from '../../shared/model/dataMapper';
import { Route, RouteContext, page } from '../consoleRoute';
import { html } from '../html';
import { table } from '../pages/components';

/** Read-only: the data mappers and settings a job would snapshot now. */
export const mappersRoute: Route = {
  method: 'GET',
  path: /^\/mappers$/,
  needsState: false,
  handle: async ({ backend }: RouteContext) => {
    const { dataMappers, settings } = backend.config;
    const rows = dataMappers.map((m) => [
      html`<strong>${m.id}</strong>`,
      html`<code>${describeMapperLocation(m)}</code>`,
      html`${m.format ?? 'from the Glue table'}`,
      html`${m.columns.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c}</code>`)}`,
      html`${m.partitionKeys.length > 0 ? m.partitionKeys.join(', ') : 'none (one query)'}`,
      html`${m.deleteOldVersions ? 'yes' : 'no'}`,
      html`${m.ignoreObjectNotFound ? 'yes' : 'no'}`,
    ]);
    const shown: Array<[string, keyof Settings]> = [
      ['Approval before forget', 'requireApproval'],
      ['Verify after rewrite', 'verify'],
      ['Find queries at once', 'queryConcurrency'],
      ['Find query retries', 'queryRetries'],
      ['Objects per worker at once', 'forgetConcurrency'],
      ['Workers at most', 'fleetMaxTasks'],
      ['Deliveries before dead-letter', 'maxReceiveCount'],
      ['Job records kept (days)', 'retentionDays'],
    ];
    return page('Data mappers', 'mappers', html`<h1>Data mappers</h1>
<p>Where lethe looks for a person's rows. Edit ${backend.mode === 'local' ? 'lethe.yaml' : 'the stack config'} to change them; a job keeps the mappers it started with.</p>
${table(`${dataMappers.length} data mappers`, ['Mapper', 'Location', 'Format', 'Columns that may hold a match', 'Partition keys', 'Delete old versions', 'Ignore missing objects'], rows, { id: 'mappers-table', empty: 'No data mappers are configured.' })}
<h2>Settings</h2>
<dl class="settings">${shown.map(([label, key]) => html`<dt>${label}</dt><dd>${String(settings[key])}</dd>`)}</dl>`);
  },
};
