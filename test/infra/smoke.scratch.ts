import * as pulumi from '@pulumi/pulumi';
import { RecordingMocks, settled, stackConfigFromFile, valueOf } from './pulumiHarness';
import { parseStackConfig } from '../../infra/stackConfig';
import { createLethe } from '../../infra/lethe';
it('smoke', async () => {
  const mocks = new RecordingMocks();
  await pulumi.runtime.setMocks(mocks, 'lethe', 'dev', false);
  const out = createLethe(parseStackConfig(stackConfigFromFile('Pulumi.dev.yaml'), 'dev'));
  console.log(await valueOf(out.letheCommand));
  console.log(await valueOf(out.runTaskCommand));
  await settled(mocks);
  console.log(mocks.registrations.map(r => `${r.type} ${r.name}`).join('\n'));
});
