import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { readJobPlan } from '../../shared/records/jobPlan';
import { parseJobId } from '../../shared/model/identifiers';
import { ConsoleFixture, countDemoMatches, startConsoleFixture } from '../support/consoleFixture';
import { launchTestChromium } from '../support/launchTestChromium';

const ARTIFACTS = path.resolve('test-artifacts', 'console');
/**
 * Lake folders as a real export tree names them: long, with no space or hyphen where a line could
 * break, so every object path is one long word (about 200 characters).
 */
const LONG_FOLDERS = 'warehouse_exports/tenant=acme_corporation_international_holdings_limited/snapshot=20261201T000000Z/region=eu_west_1/customer_records_for_erasure';

/**
 * The operator's path through the console in Chromium (the system's, or the one an npm package
 * ships): enqueue through the forms, start a job, read its purge plan, approve it, watch it reach
 * COMPLETED without reloading, open the report.
 */
describe('lethe console in Chromium', function () {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let page: Page;

  before(async function () {
    await mkdir(ARTIFACTS, { recursive: true });
    fixture = await startConsoleFixture({ rows: 1200, requireApproval: true, nestedIn: LONG_FOLDERS });
    browser = await launchTestChromium();
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });
  after(async function () {
    try {
      await browser?.close();
    } finally {
      await fixture?.close();
    }
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  /** No horizontal scroll bar at the window's 1280 px: long object paths wrap inside their cells. */
  const assertFitsWindow = async (where: string) => {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth, `${where} is ${scrollWidth} px wide in a ${clientWidth} px window`);
  };

  it('opens on the overview from the printed URL, which leaves the token out of the address bar', async function () {
    await page.goto(fixture.server.openUrl);
    assert.equal(new URL(page.url()).search, '');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    assert.equal(await page.locator('#queue-size').textContent(), '0 requests waiting');
    await page.getByText('No job is running.').waitFor();
    await shot('overview-empty');
  });

  it('adds simple and composite matches through the queue forms, showing only their hashes', async function () {
    await page.getByRole('link', { name: 'Deletion queue' }).click();
    await page.getByLabel('Match IDs, one a line').fill('17\ncustomer42@example.org');
    await page.locator('#enqueue-simple').getByRole('button', { name: 'Add to queue' }).click();
    await page.getByText('Added 2 match IDs to the queue.').waitFor();
    await page.getByLabel('Column 1').fill('first_name');
    await page.getByLabel('Value 1').fill('Ann');
    await page.getByLabel('Column 2').fill('last_name');
    await page.getByLabel('Value 2').fill('Lee');
    await page.locator('#enqueue-composite').getByLabel('customers').check();
    await page.locator('#enqueue-composite').getByRole('button', { name: 'Add to queue' }).click();
    await page.getByText('Added 1 composite match to the queue.').waitFor();
    assert.match(await page.locator('#queue-count').innerText(), /^3 items in the queue; showing 1–3\.$/);
    const rows = page.locator('#queue-table tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match(await rows.nth(2).innerText(), /composite \(first_name, last_name\)\s+customers/);
    const text = await page.content();
    for (const id of ['customer42@example.org', '>17<', 'Ann', 'Lee']) assert.ok(!text.includes(id), `the queue page shows ${id}`);
    await shot('queue');
  });

  it('removes a queue item only after a confirm step', async function () {
    await page.getByLabel('Match IDs, one a line').fill('to-be-removed@example.org');
    await page.locator('#enqueue-simple').getByRole('button', { name: 'Add to queue' }).click();
    await page.getByText('Added 1 match ID to the queue.').waitFor();
    await page.locator('#queue-table tbody tr').nth(3).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Remove selected…' }).click();
    await page.getByRole('heading', { name: 'Remove queue items?' }).waitFor();
    await shot('queue-remove-confirm');
    await page.getByRole('button', { name: 'Yes, remove 1' }).click();
    await page.getByText('Removed 1 item from the queue.').waitFor();
    assert.match(await page.locator('#queue-count').innerText(), /^3 items in the queue/);
  });

  it('shows the data mappers read-only', async function () {
    await page.getByRole('link', { name: 'Data mappers' }).click();
    const customers = page.locator('#mappers-table tbody tr', { hasText: 'customers' });
    assert.match(await customers.innerText(), /parquet\s+customer_id, user\.email, first_name, last_name\s+year/);
    assert.match(await page.locator('#mappers-table tbody tr', { hasText: 'events' }).innerText(), /json\s+customer_id, email\s+day/);
    assert.equal(await page.locator('main form').count(), 0);
    await shot('mappers');
  });

  let jobId = '';
  let expectedRows = 0;

  it('starts a job after a confirm step, and it stops for approval with its purge plan', async function () {
    expectedRows = await countDemoMatches(fixture.lakeDir);
    assert.ok(expectedRows > 0);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByText('A job takes the 3 requests in the queue').waitFor();
    await page.getByRole('button', { name: 'Start job…' }).click();
    await page.getByRole('heading', { name: 'Start a deletion job?' }).waitFor();
    await page.getByRole('button', { name: 'Yes, start the job' }).click();
    await page.getByText(/^Started job \d{8}T\d{6}Z-[a-z0-9]{6}\.$/).waitFor();
    jobId = /\/jobs\/([^/?#]+)$/.exec(page.url())![1]!;
    // The page follows the job by itself: no reload from the test.
    await page.locator('#job-status', { hasText: 'AWAITING_APPROVAL' }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#plan-totals').innerText(), /^\d+ objects to rewrite, for 3 match IDs/);
    assert.equal(await page.locator('#counter-rowsDeleted').innerText(), '0');
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: `Job ${jobId} awaits approval` }).waitFor();
    assert.match(await page.locator('#jobs-table tbody tr').first().innerText(), /AWAITING_APPROVAL/);
    await shot('jobs-awaiting-approval');
  });

  it('approves after a confirm step that shows the plan, and the page follows the job to COMPLETED', async function () {
    await page.getByRole('button', { name: 'Approve…' }).click();
    await page.getByRole('heading', { name: `Approve job ${jobId}?` }).waitFor();
    await page.getByRole('heading', { name: 'Purge plan' }).waitFor();
    await shot('job-approve-confirm');
    await page.getByRole('button', { name: 'Yes, approve and delete the rows' }).click();
    await page.getByText(`Approved job ${jobId}: rewriting objects.`).waitFor();
    await page.locator('#job-status', { hasText: 'COMPLETED' }).waitFor({ timeout: 90_000 });
    assert.equal(Number(await page.locator('#counter-rowsDeleted').innerText()), expectedRows);
    assert.equal(await page.locator('#counter-objectsFailed').innerText(), '0');
    assert.equal(await page.locator('#counter-matchesLeft').innerText(), '0');
    const objectRows = page.locator('#objects-table tbody tr');
    assert.ok((await objectRows.count()) > 0);
    const deletedPerObject = await objectRows.evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[4]?.textContent ?? '0')));
    assert.equal(deletedPerObject.reduce((a, b) => a + b, 0), expectedRows);
    assert.equal(await countDemoMatches(fixture.lakeDir), 0, 'no matching row is left in the lake');
    await shot('job-completed');
    await assertFitsWindow('the job page');
  });

  it('filters the job events by type', async function () {
    await page.getByLabel('Type').selectOption('ObjectUpdated');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('heading', { name: /^Events \(\d+ of \d+\)$/ }).waitFor();
    const types = await page.locator('#events-table tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(types.length > 0);
    assert.ok(types.every((t) => t === 'ObjectUpdated'), types.join(','));
    await shot('job-events-filtered');
  });

  it('opens the deletion report and downloads it as JSON', async function () {
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download JSON' }).click();
    const report = JSON.parse(await readFile(await (await download).path(), 'utf8')) as { job: { id: string; status: string }; totals: { rowsDeleted: number } };
    assert.equal(report.job.id, jobId);
    assert.equal(report.job.status, 'COMPLETED');
    assert.equal(report.totals.rowsDeleted, expectedRows);
    await page.getByRole('link', { name: 'View the report' }).click();
    await page.getByRole('heading', { name: 'Deletion report' }).waitFor();
    assert.match(await page.locator('p.status').innerText(), new RegExp(`^COMPLETED: ${expectedRows} rows deleted from \\d+ of \\d+ objects; 0 failed; verification found no match left\\.$`));
    const objectCell = page.locator('td', { hasText: /part-[^/]*$/ }).first();
    assert.ok((await objectCell.innerText()).includes(LONG_FOLDERS), 'the report names objects by their long paths');
    await shot('report');
    await assertFitsWindow('the report page');
  });

  it('shows the emptied queue and the last job on the overview', async function () {
    await page.goto(`${fixture.server.origin}/`);
    assert.equal(await page.locator('#queue-size').textContent(), '0 requests waiting');
    const last = page.locator('section', { has: page.getByRole('heading', { name: 'Last job' }) });
    assert.match(await last.innerText(), new RegExp(`${jobId}\\s+COMPLETED[\\s\\S]*${expectedRows} rows deleted`));
    await shot('overview-after');
  });

  it('rejects a job after a confirm step, leaving the queue as it was', async function () {
    await page.getByRole('link', { name: 'Deletion queue' }).click();
    await page.getByLabel('Match IDs, one a line').fill('customer99@example.org');
    await page.locator('#enqueue-simple').getByRole('button', { name: 'Add to queue' }).click();
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'Start job…' }).click();
    await page.getByRole('button', { name: 'Yes, start the job' }).click();
    await page.locator('#job-status', { hasText: 'AWAITING_APPROVAL' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Reject…' }).click();
    await page.getByRole('button', { name: 'Yes, reject the job' }).click();
    await page.locator('#job-status', { hasText: 'REJECTED' }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    assert.equal(await page.locator('#queue-size').textContent(), '1 request waiting');
  });

  it('shows a failed object with its error when a file went bad between find and approval', async function () {
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'Start job…' }).click();
    await page.getByRole('button', { name: 'Yes, start the job' }).click();
    await page.locator('#job-status', { hasText: 'AWAITING_APPROVAL' }).waitFor({ timeout: 60_000 });
    const failedJob = parseJobId(/\/jobs\/([^/?#]+)$/.exec(page.url())![1]);
    const plan = await readJobPlan((await fixture.context.runtime()).ports.state, failedJob);
    const broken = plan!.objects.find((o) => o.mapperIds.includes('customers'))!.object;
    await writeFile(broken, 'this is not a parquet file');
    await page.getByRole('button', { name: 'Approve…' }).click();
    await page.getByRole('button', { name: 'Yes, approve and delete the rows' }).click();
    await page.locator('#job-status', { hasText: /FAILED/ }).waitFor({ timeout: 90_000 });
    const failedRow = page.locator('#failures-table tbody tr', { hasText: broken });
    assert.equal(await failedRow.count(), 1);
    const [, , attempts, error] = await failedRow.locator('td').allInnerTexts();
    assert.ok(Number(attempts) >= 1);
    assert.ok(error!.length > 0);
    assert.equal(await page.locator('#counter-objectsFailed').innerText(), '1');
    await shot('job-failed');
    await assertFitsWindow('the failed job page');
  });
});
