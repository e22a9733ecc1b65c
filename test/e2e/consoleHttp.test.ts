import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { listJobIds } from '../../shared/records/jobRecord';
import { listQueue } from '../../shared/queue/deletionQueue';
import { ConsoleFixture, openSession, rawRequest, startConsoleFixture } from '../support/consoleFixture';

const FORM = 'application/x-www-form-urlencoded';

describe('lethe console over HTTP: the token, the origin and CSRF checks', function () {
  let fixture: ConsoleFixture;
  let session: { cookie: string; csrf: string };

  before(async function () {
    fixture = await startConsoleFixture({ rows: 200 });
    session = await openSession(fixture.server);
  });
  after(async function () {
    await fixture?.close();
  });

  const origin = () => fixture.server.origin;
  const enqueueBody = (csrf: string | undefined) => new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ids: 'refused-person@example.org' }).toString();

  it('listens on 127.0.0.1 only', function () {
    assert.match(fixture.server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(fixture.server.openUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses every page, asset and status without the token', async function () {
    for (const path of ['/', '/queue', '/mappers', '/jobs', '/static/console.js', '/jobs/20261122T000000Z-aaaaaa/status.json']) {
      const response = await rawRequest(origin(), { path });
      assert.equal(response.status, 403, path);
      assert.match(response.body, /access token/);
      assert.doesNotMatch(response.body, /<main/);
    }
    assert.equal((await rawRequest(origin(), { path: '/?token=wrong-token-of-the-right-length-xx' })).status, 403);
    assert.equal((await rawRequest(origin(), { path: '/', headers: { authorization: 'Bearer wrong' } })).status, 403);
    assert.equal((await rawRequest(origin(), { path: '/', headers: { cookie: 'lethe_console_1=forged' } })).status, 403);
  });

  it('swaps the printed token for a session cookie and drops it from the address', async function () {
    const login = await rawRequest(origin(), { path: `/jobs?token=${fixture.server.accessToken}` });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, '/jobs');
    assert.match(String(login.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    const page = await rawRequest(origin(), { path: '/', headers: { cookie: session.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Overview<\/h1>/);
    assert.match(page.body, /0 requests waiting/);
  });

  it('refuses a request whose Host is not the console (DNS rebinding)', async function () {
    const response = await rawRequest(origin(), { path: '/', headers: { host: `attacker.example:${new URL(origin()).port}`, cookie: session.cookie } });
    assert.equal(response.status, 403);
  });

  it('refuses POSTs without the token, from another origin, or without the CSRF token, and changes nothing', async function () {
    const attempts: Array<[string, Record<string, string>, string]> = [
      ['no token', { 'content-type': FORM, origin: origin() }, enqueueBody(session.csrf)],
      ['another origin', { 'content-type': FORM, origin: 'http://evil.example', cookie: session.cookie }, enqueueBody(session.csrf)],
      ['an opaque origin', { 'content-type': FORM, origin: 'null', cookie: session.cookie }, enqueueBody(session.csrf)],
      ['another port on this host', { 'content-type': FORM, origin: 'http://127.0.0.1:1', cookie: session.cookie }, enqueueBody(session.csrf)],
      ['another page as referer', { 'content-type': FORM, referer: 'http://evil.example/form.html', cookie: session.cookie }, enqueueBody(session.csrf)],
      ['no CSRF token', { 'content-type': FORM, origin: origin(), cookie: session.cookie }, enqueueBody(undefined)],
      ['a wrong CSRF token', { 'content-type': FORM, origin: origin(), cookie: session.cookie }, enqueueBody('x'.repeat(43))],
    ];
    for (const [why, headers, body] of attempts) {
      const response = await rawRequest(origin(), { method: 'POST', path: '/queue/enqueue', headers, body });
      assert.equal(response.status, 403, why);
      assert.doesNotMatch(response.body, /refused-person/, why);
    }
    for (const path of ['/jobs/start', '/queue/remove']) {
      const response = await rawRequest(origin(), { method: 'POST', path, headers: { 'content-type': FORM, origin: 'http://evil.example', cookie: session.cookie }, body: new URLSearchParams({ _csrf: session.csrf, confirm: 'yes' }).toString() });
      assert.equal(response.status, 403, path);
    }
    const { ports } = await fixture.context.runtime();
    assert.equal((await listQueue(ports.state)).total, 0);
    assert.deepEqual(await listJobIds(ports.state), []);
    const page = await rawRequest(origin(), { path: '/queue', headers: { cookie: session.cookie } });
    assert.match(page.body, /0 items in the queue/);
  });

  it('accepts a same-origin form with its CSRF token, and never shows the ID again', async function () {
    const response = await rawRequest(origin(), {
      method: 'POST',
      path: '/queue/enqueue',
      headers: { 'content-type': FORM, origin: origin(), cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf, ids: 'accepted-person@example.org\n17' }).toString(),
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/queue');
    assert.doesNotMatch(String(response.headers.location), /accepted-person/);
    const page = await rawRequest(origin(), { path: '/queue', headers: { cookie: session.cookie } });
    assert.match(page.body, /Added 2 match IDs to the queue/);
    assert.match(page.body, /2 items in the queue/);
    assert.doesNotMatch(page.body, /accepted-person/);
    assert.match(page.body, /<code class="hash">[0-9a-f]{16}<\/code>/);
    assert.ok(fixture.log.every((line) => !line.includes('accepted-person')), 'the server log holds no match ID');
  });

  it('asks before starting a job: the first POST shows a confirm step and starts nothing', async function () {
    const response = await rawRequest(origin(), {
      method: 'POST',
      path: '/jobs/start',
      headers: { 'content-type': FORM, origin: origin(), cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf }).toString(),
    });
    assert.equal(response.status, 200);
    assert.match(response.body, /Start a deletion job\?/);
    assert.match(response.body, /name="confirm" value="yes"/);
    const { ports } = await fixture.context.runtime();
    assert.deepEqual(await listJobIds(ports.state), []);
  });

  it('rejects bad form input with a message that does not repeat the value', async function () {
    const response = await rawRequest(origin(), {
      method: 'POST',
      path: '/queue/enqueue-composite',
      headers: { 'content-type': FORM, origin: origin(), cookie: session.cookie, referer: `${origin()}/queue` },
      body: new URLSearchParams([['_csrf', session.csrf], ['column', 'first_name'], ['value', 'Secret-Name'], ['column', ''], ['value', '']]).toString(),
    });
    assert.equal(response.status, 303);
    const page = await rawRequest(origin(), { path: '/queue', headers: { cookie: session.cookie } });
    assert.match(page.body, /give at least two columns/);
    assert.doesNotMatch(page.body, /Secret-Name/);
    assert.match(page.body, /2 items in the queue/);
  });

  it('starts a job on a confirmed POST, drives it in the background, and cancels it after a confirm step', async function () {
    const post = (path: string, fields: Record<string, string>) =>
      rawRequest(origin(), { method: 'POST', path, headers: { 'content-type': FORM, origin: origin(), cookie: session.cookie }, body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString() });
    const started = await post('/jobs/start', { confirm: 'yes' });
    assert.equal(started.status, 303);
    const jobPath = String(started.headers.location);
    assert.match(jobPath, /^\/jobs\/\d{8}T\d{6}Z-[a-z0-9]{6}$/);
    let status = '';
    for (let i = 0; i < 300 && status !== 'AWAITING_APPROVAL'; i++) {
      status = (JSON.parse((await rawRequest(origin(), { path: `${jobPath}/status.json`, headers: { cookie: session.cookie } })).body) as { status: string }).status;
      if (status !== 'AWAITING_APPROVAL') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 'AWAITING_APPROVAL');
    const ask = await post(`${jobPath}/cancel`, {});
    assert.equal(ask.status, 200);
    assert.match(ask.body, /Cancel job .*\?/);
    assert.match((await rawRequest(origin(), { path: jobPath, headers: { cookie: session.cookie } })).body, /AWAITING_APPROVAL/);
    assert.equal((await post(`${jobPath}/cancel`, { confirm: 'yes' })).status, 303);
    const page = await rawRequest(origin(), { path: jobPath, headers: { cookie: session.cookie } });
    assert.match(page.body, /Cancelled job/);
    assert.match(page.body, /id="job-status" data-field="status">CANCELLED</);
    assert.match((await rawRequest(origin(), { path: '/queue', headers: { cookie: session.cookie } })).body, /2 items in the queue/);
  });

  it('says plainly when the state store is unreachable', async function () {
    await rm(fixture.stateDir, { recursive: true, force: true });
    for (const path of ['/', '/queue', '/jobs']) {
      const page = await rawRequest(origin(), { path, headers: { cookie: session.cookie } });
      assert.equal(page.status, 503, path);
      assert.match(page.body, /State store unreachable/);
      assert.match(page.body, /the folder does not exist/);
    }
    const post = await rawRequest(origin(), {
      method: 'POST',
      path: '/queue/enqueue',
      headers: { 'content-type': FORM, origin: origin(), cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf, ids: '99' }).toString(),
    });
    assert.equal(post.status, 503);
  });
});
