import assert from 'node:assert/strict';
import { hmacMatch, shortHash } from '../../shared/privacy/hmacMatch';
import { enqueueMatches, listQueue } from '../../shared/queue/deletionQueue';
import { ConsoleFixture, openSession, rawRequest, startConsoleFixture } from '../support/consoleFixture';

const FORM = 'application/x-www-form-urlencoded';

describe('lethe console: composites a mapper cannot compare, and matches that applied nowhere', function () {
  let fixture: ConsoleFixture;
  let session: { cookie: string; csrf: string };

  before(async function () {
    fixture = await startConsoleFixture({ rows: 100, requireApproval: false });
    session = await openSession(fixture.server);
  });
  after(async function () {
    await fixture?.close();
  });

  const get = async (path: string) => (await rawRequest(fixture.server.origin, { path, headers: { cookie: session.cookie } })).body;
  const post = (path: string, fields: Array<[string, string]>) =>
    rawRequest(fixture.server.origin, {
      method: 'POST',
      path,
      headers: { 'content-type': FORM, origin: fixture.server.origin, cookie: session.cookie, referer: `${fixture.server.origin}/queue` },
      body: new URLSearchParams([['_csrf', session.csrf], ...fields]).toString(),
    });

  it('refuses a composite whose columns the chosen mapper does not declare, naming them, and queues nothing', async function () {
    const response = await post('/queue/enqueue-composite', [['column', 'first_name'], ['value', 'Secret-Name'], ['column', 'nick_name'], ['value', 'Secret-Nick'], ['mapper', 'customers']]);
    assert.equal(response.status, 303);
    const page = await get('/queue');
    assert.match(page, /composite match: mapper &#34;customers&#34; does not declare column &#34;nick_name&#34; \(declared: customer_id, user.email, first_name, last_name\)/);
    assert.doesNotMatch(page, /Secret-/);
    const { ports } = await fixture.context.runtime();
    assert.equal((await listQueue(ports.state)).total, 0);
    const anyMapper = await post('/queue/enqueue-composite', [['column', 'shoe_size'], ['value', '44'], ['column', 'email'], ['value', 'x@y.org']]);
    assert.equal(anyMapper.status, 303);
    assert.match(await get('/queue'), /composite match: no data mapper declares all its columns \(email, shoe_size\)/);
    assert.equal((await listQueue(ports.state)).total, 0);
  });

  it('shows a job that ended UNAPPLIED_MATCHES, and the matches that applied nowhere, by hash', async function () {
    const { ports } = await fixture.context.runtime();
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '17' } }, { match: { kind: 'simple', value: 'not-a-number' }, mappers: ['orders'] }]);
    const started = await post('/jobs/start', [['confirm', 'yes']]);
    assert.equal(started.status, 303);
    const jobPath = String(started.headers.location);
    let status = { status: '', terminal: false };
    for (let i = 0; i < 600 && !status.terminal; i++) {
      status = JSON.parse(await get(`${jobPath}/status.json`)) as typeof status;
      if (!status.terminal) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status.status, 'UNAPPLIED_MATCHES');
    const page = await get(jobPath);
    assert.match(page, /<span class="badge wait" id="job-status" data-field="status">UNAPPLIED_MATCHES<\/span>/);
    assert.match(page, /Matches applied nowhere \(1\)/);
    assert.match(page, /fix the ID or the data mapper and run a job again, or remove them from the queue/);
    assert.ok(page.includes(shortHash(hmacMatch(await fixture.context.hmacKey(), { kind: 'simple', value: 'not-a-number' }))));
    assert.doesNotMatch(page, /not-a-number/);
    assert.match(await get('/jobs'), /UNAPPLIED_MATCHES/);
    assert.match(await get('/queue'), /1 item in the queue/);
  });
});
