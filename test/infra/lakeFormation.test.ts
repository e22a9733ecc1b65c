import * as assert from 'node:assert/strict';
import { createLethe } from '../../infra/lethe';
import { parseStackConfig } from '../../infra/stackConfig';
import { RecordingMocks, settled, stackConfigFromFile, valueOf } from '../support/pulumiHarness';
import { policyOf, statement } from '../support/securityChecks';

const FIND_ROLE = 'arn:aws:iam::123456789012:role/lethe-lf-iam-find';
const FORGET_ROLE = 'arn:aws:iam::123456789012:role/lethe-lf-iam-forget';

/** The lake2 stack file (three mappers over four declared tables in two buckets) with `lethe:lakeFormation: true`. */
describe('infra: Lake Formation grants (lethe:lakeFormation) under mocks', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();

  before(async () => {
    await mocks.install('lethe', 'lf');
    const config = parseStackConfig({ ...stackConfigFromFile('test/infra/Pulumi.lake2.yaml'), lakeFormation: true }, 'lf');
    await valueOf(createLethe(config).letheCommand);
    await settled(mocks);
  });

  const grants = () =>
    mocks.ofType('aws:lakeformation/permissions:Permissions').map((r) => {
      const table = r.inputs.table as { databaseName: string; name: string } | undefined;
      const location = r.inputs.dataLocation as { arn: string } | undefined;
      return [r.inputs.principal, [...(r.inputs.permissions as string[])].sort().join(','), table ? `${table.databaseName}.${table.name}` : location!.arn];
    });

  it('grants the find role SELECT and DESCRIBE on each mapped table and the manifests table, never the unmapped audit table', () => {
    // Mappers: raw.events, raw.clicks, curated.customers; curated.audit is declared but not mapped.
    assert.deepEqual(grants().filter(([role]) => role === FIND_ROLE).sort(), [
      [FIND_ROLE, 'DESCRIBE,SELECT', 'curated.customers'],
      [FIND_ROLE, 'DESCRIBE,SELECT', 'lethe_lf.manifests'],
      [FIND_ROLE, 'DESCRIBE,SELECT', 'raw.clicks'],
      [FIND_ROLE, 'DESCRIBE,SELECT', 'raw.events'],
    ]);
  });

  it('grants the forget role data location access on each mapped table location, and nothing else', () => {
    assert.deepEqual(grants().filter(([role]) => role === FORGET_ROLE).sort(), [
      [FORGET_ROLE, 'DATA_LOCATION_ACCESS', 'arn:aws:s3:::acme-curated/warehouse/customers'],
      [FORGET_ROLE, 'DATA_LOCATION_ACCESS', 'arn:aws:s3:::acme-raw/clicks/2024'],
      [FORGET_ROLE, 'DATA_LOCATION_ACCESS', 'arn:aws:s3:::acme-raw/events'],
    ]);
    assert.equal(grants().length, 7, 'no other grant');
  });

  it('lets the find role ask Lake Formation for data access (Athena needs it for governed tables)', () => {
    const policy = (suffix: string) => policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (r) => r.name.endsWith(`-iam-${suffix}`)));
    assert.deepEqual(statement(policy('find'), 'LakeFormationDataAccess').Action, ['lakeformation:GetDataAccess']);
    assert.equal(policy('forget').Statement.some((s) => s.Action.some((a) => a.startsWith('lakeformation:'))), false);
  });
});

describe('infra: no Lake Formation grants without the option', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();

  before(async () => {
    await mocks.install('lethe', 'nolf');
    await valueOf(createLethe(parseStackConfig(stackConfigFromFile('test/infra/Pulumi.lake2.yaml'), 'nolf')).letheCommand);
    await settled(mocks);
  });

  it('declares no Permissions and no lakeformation action', () => {
    assert.equal(mocks.ofType('aws:lakeformation/permissions:Permissions').length, 0);
    for (const r of mocks.ofType('aws:iam/rolePolicy:RolePolicy')) assert.equal(policyOf(r).Statement.some((s) => s.Action.some((a) => a.startsWith('lakeformation:'))), false, r.name);
  });
});
