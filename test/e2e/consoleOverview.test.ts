import assert from 'node:assert/strict';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { deletionDeadline } from '../../console/routes/overviewRoute';
import { ConsoleFixture, openSession, rawRequest, startConsoleFixture } from '../support/consoleFixture';

const DAY = 24 * 3600_000;

describe('lethe console overview: the oldest request against the one-month deadline', function () {
  let fixture: ConsoleFixture;
  let cookie: string;

  before(async function () {
    fixture = await startConsoleFixture({ rows: 100 });
    cookie = (await openSession(fixture.server)).cookie;
  });
  after(async function () {
    await fixture?.close();
  });

  const overview = async () => (await rawRequest(fixture.server.origin, { path: '/', headers: { cookie } })).body;
  const oldestLine = (body: string) => /<p class="deadline (\w+)" id="oldest">(.*?)<\/p>/.exec(body)?.slice(1) ?? [];

  it('counts one month by the calendar, ending a month that is too short on its last day', function () {
    assert.equal(deletionDeadline(new Date('2026-03-15T10:00:00Z')).toISOString(), '2026-04-15T10:00:00.000Z');
    assert.equal(deletionDeadline(new Date('2026-01-31T08:00:00Z')).toISOString(), '2026-02-28T08:00:00.000Z');
    assert.equal(deletionDeadline(new Date('2028-01-31T08:00:00Z')).toISOString(), '2028-02-29T08:00:00.000Z');
    assert.equal(deletionDeadline(new Date('2026-12-31T23:00:00Z')).toISOString(), '2027-01-31T23:00:00.000Z');
  });

  it('says when nothing waits', async function () {
    const body = await overview();
    assert.match(body, /0 requests waiting/);
    assert.match(body, /No request is waiting\./);
  });

  it('shows the days left for a fresh request', async function () {
    const { ports } = await fixture.context.runtime();
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '5' } }], new Date(Date.now() - 2 * DAY));
    const [kind, text] = oldestLine(await overview());
    assert.equal(kind, 'ok');
    assert.match(text!, /^Oldest request: 2 days old; 2\d days left before the one-month deadline \(\d{4}-\d\d-\d\d /);
  });

  it('warns in the last week before the deadline', async function () {
    const { ports } = await fixture.context.runtime();
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '8' } }], new Date(Date.now() - 26 * DAY));
    const [kind, text] = oldestLine(await overview());
    assert.equal(kind, 'warn');
    assert.match(text!, /^Oldest request: 26 days old; \d+ (days|hours) left before the one-month deadline/);
  });

  it('flags an overdue request', async function () {
    const { ports } = await fixture.context.runtime();
    const received = new Date(Date.now() - 40 * DAY);
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '6' } }, { match: { kind: 'simple', value: '7' } }], received);
    const body = await overview();
    assert.match(body, /4 requests waiting/);
    const [kind, text] = oldestLine(body);
    assert.equal(kind, 'bad');
    const overdueDays = Math.floor((Date.now() - deletionDeadline(received).getTime()) / DAY);
    assert.match(text!, new RegExp(`^Oldest request: 40 days old, <strong>overdue</strong> by ${overdueDays} days`));
  });
});
