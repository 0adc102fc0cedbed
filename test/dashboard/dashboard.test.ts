import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcTime } from '../../core/time-text.ts';
import type { LocalRuntime, RuntimeEvents } from '../../local/runtime.ts';
import { LOCAL_CREDENTIALS, startIsolatedRuntime, waitFor } from '../e2e/harness.ts';
import { dashboardJobs } from './fixtures/jobs/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = path.resolve(import.meta.dirname, '..', '..', 'test-output');
const SCREENSHOT = path.join(OUTPUT, 'dashboard.png');
const FLOOD = 300;

let runtime: LocalRuntime;
let sqs: SQSClient;
let browser: Browser;
let page: Page;
let refuseFlag: string;
const outcomes: RuntimeEvents['outcome'][0][] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the dashboard test drives Chromium at ${CHROMIUM}, which is missing: install it with \`apt-get install -y chromium\` (CI installs it)`,
    );
  }
  refuseFlag = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-dashboard-')), 'refuse');
  writeFileSync(refuseFlag, '');
  // Persisted in a temporary data folder, as `npm start` runs by default; stop() removes it.
  runtime = await startIsolatedRuntime({
    jobs: dashboardJobs,
    jobsDir: path.join(import.meta.dirname, 'fixtures', 'jobs'),
    log: () => {},
  });
  runtime.events.on('outcome', (outcome) => outcomes.push(outcome));
  sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  // launch() gives every run a fresh temporary profile (user-data-dir) and deletes it on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(runtime.dashboardUrl);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  sqs?.destroy();
  if (refuseFlag) rmSync(path.dirname(refuseFlag), { recursive: true, force: true });
});

/** A figure of a job's card as a number ("1,234" reads as 1234). */
async function figure(job: string, field: string): Promise<number> {
  const text = await page.locator(`[data-job="${job}"] [data-field="${field}"]`).textContent();
  return Number((text ?? '').replaceAll(',', ''));
}

async function sendFlood(job: string, count: number): Promise<void> {
  const url = runtime.queues.get(job)?.queue.url;
  const batches = Array.from({ length: count / 10 }, (_, b) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify({ n: b * 10 + i }),
        })),
      }),
    ),
  );
  await Promise.all(batches);
}

describe('the local dashboard', () => {
  it('shows every job, live, with its trigger and next scheduled run', async () => {
    for (const job of dashboardJobs)
      await page.locator(`[data-job="${job.name}"]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('#connection').textContent()).toBe('live');
    await expect.poll(() => figure('slow', 'backlog')).toBe(0);
    // The scheduler's own time, in 24-hour UTC with the zone, as `bgjobs status` shows it.
    const at = runtime.nextScheduledRun('nightly') as Date;
    const nextRun = await page.locator('[data-job="nightly"] [data-field="nextRun"]').textContent();
    expect(nextRun).toMatch(/ UTC \(in [^)]+\)$/);
    expect(nextRun?.startsWith(`${utcTime(at, new Date())} (in `)).toBe(true);
    expect(await page.locator('[data-job="slow"] [data-field="state"]').textContent()).toBe(
      'running',
    );
  });

  it('shows the backlog of a flood rising, then draining to 0, without a reload', async () => {
    const readings: number[] = [];
    let pictured = false;
    const watching = waitFor(
      'the backlog figure to rise and fall back to 0',
      async () => {
        readings.push(await figure('slow', 'backlog'));
        if (!pictured && (readings.at(-1) ?? 0) >= FLOOD / 3) {
          pictured = true;
          mkdirSync(OUTPUT, { recursive: true });
          await page.screenshot({ path: path.join(OUTPUT, 'dashboard-flood.png') });
        }
        const peak = Math.max(...readings);
        return peak > 0 && readings.at(-1) === 0 ? peak : undefined;
      },
      45_000,
    );
    await sendFlood('slow', FLOOD);
    const peak = await watching;

    expect(peak).toBeGreaterThanOrEqual(FLOOD / 3);
    const peakAt = readings.indexOf(peak);
    expect(readings.slice(peakAt).some((n) => n > 0 && n < peak)).toBe(true);
    await expect.poll(() => figure('slow', 'processedTotal'), { timeout: 15_000 }).toBe(FLOOD);
  }, 60_000);

  it('lists a dead letter with its reason, and redrives it with the button', async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.queues.get('picky')?.queue.url,
        MessageBody: JSON.stringify({ label: 'invoice-42', refuseWhile: refuseFlag }),
      }),
    );
    const row = page.locator('[data-job="picky"] .dead-letters tr[data-message-id]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.reason').textContent()).toContain('refusing invoice-42');
    await expect.poll(() => figure('picky', 'deadLetters')).toBe(1);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    rmSync(refuseFlag);
    const before = outcomes.length;
    await row.locator('button[data-action="redrive"]').click();

    await page
      .locator('[data-job="picky"] [data-field="no-dead-letters"]')
      .waitFor({ timeout: 15_000 });
    const succeeded = await waitFor('the redriven message to succeed', () =>
      outcomes.slice(before).find((o) => o.job === 'picky' && o.outcome.status === 'succeeded'),
    );
    expect(succeeded.attempt).toBe(1);
    await expect.poll(() => figure('picky', 'processedTotal')).toBe(1);
    await expect.poll(() => figure('picky', 'deadLetters')).toBe(0);
  }, 45_000);

  it('pauses and resumes a job with its button', async () => {
    const card = page.locator('[data-job="slow"]');
    await card.locator('button[data-action="pause"]').click();
    await expect.poll(() => card.locator('[data-field="state"]').textContent()).toBe('paused');
    expect(runtime.isPaused('slow')).toBe(true);

    await card.locator('button[data-action="resume"]').click();
    await expect.poll(() => card.locator('[data-field="state"]').textContent()).toBe('running');
    expect(runtime.isPaused('slow')).toBe(false);
  });

  it('lists every job in an overview table whose rows link to the job cards', async () => {
    const rows = page.locator('#overview tr[data-row]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')))).toEqual(
      dashboardJobs.map((job) => job.name),
    );
    const cell = (job: string, column: string) =>
      page.locator(`#overview tr[data-row="${job}"] [data-column="${column}"]`).textContent();
    await expect.poll(() => cell('picky', 'processed')).toBe('0');
    expect(await cell('nightly', 'nextRun')).toBe(
      await page.locator('[data-job="nightly"] [data-field="nextRun"]').textContent(),
    );
    expect(await cell('slow', 'paused')).toBe('no');
    const headings = await page.locator('#overview th').allTextContents();
    expect(headings).toEqual([
      'job',
      'backlog',
      'in flight',
      'dead letters',
      'processed /s',
      'failed /s',
      'next run',
      'paused',
    ]);

    await page.locator('#overview a', { hasText: 'picky' }).click();

    const cardTop = () =>
      page.locator('#job-picky').evaluate((card) => card.getBoundingClientRect().top);
    const scrolled = () => page.locator('html').evaluate((html) => html.scrollTop);
    await expect.poll(cardTop).toBeLessThan(40);
    expect(await cardTop()).toBeGreaterThanOrEqual(0);
    expect(await scrolled()).toBeGreaterThan(0);
    await page.locator('html').evaluate((html) => html.scrollTo(0, 0));
  });

  it('fits an 820 px window: no element is wider than its card, even a long unbroken reason', async () => {
    writeFileSync(refuseFlag, '');
    const label = `s3://bucket/${'x'.repeat(160)}`;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.queues.get('picky')?.queue.url,
        MessageBody: JSON.stringify({ label, refuseWhile: refuseFlag }),
      }),
    );
    await page.setViewportSize({ width: 820, height: 900 });
    await page
      .locator('[data-job="picky"] .dead-letters .reason', { hasText: label })
      .waitFor({ timeout: 15_000 });

    // Polled: the charts follow the new width on the next ResizeObserver callback.
    const outsideTheirCards = () =>
      page.locator('section.job').evaluateAll((cards) =>
        cards.flatMap((card) => {
          const box = card.getBoundingClientRect();
          return [...card.querySelectorAll('*')].flatMap((child) => {
            const r = child.getBoundingClientRect();
            const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
            if (inside || (r.width === 0 && r.height === 0)) return [];
            const tag = `<${child.tagName.toLowerCase()} class="${child.getAttribute('class') ?? ''}">`;
            return [
              `${card.getAttribute('data-job')}: ${tag} spans ${Math.round(r.left)}..${Math.round(r.right)}, card ${Math.round(box.left)}..${Math.round(box.right)}`,
            ];
          });
        }),
      );
    await expect.poll(outsideTheirCards).toEqual([]);
    const widths = await page
      .locator('html')
      .evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(widths.scroll).toBe(widths.client);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-820.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 30_000);

  it("shows the runtime's memory and its SQS endpoint's, each a process of its own", async () => {
    const shown = async (field: string) => {
      const text = (await page.locator(`#memory [data-field="${field}"]`).textContent()) ?? '';
      return /^\d+ MB$/.test(text) ? Number.parseInt(text, 10) : undefined;
    };
    await expect.poll(() => shown('sqsEndpointMemory')).toBeGreaterThan(0);
    const actual = await runtime.memory();
    const mb = (bytes: number | undefined) => (bytes ?? 0) / 1024 / 1024;
    // Sampled each second: the page shows what the processes held a moment ago.
    expect((await shown('runtimeMemory')) ?? 0).toBeGreaterThan(mb(actual.runtime.rssBytes) * 0.75);
    expect((await shown('runtimeMemory')) ?? 0).toBeLessThan(mb(actual.runtime.rssBytes) * 1.25);
    const endpoint = mb(actual.sqsEndpoint?.rssBytes);
    expect((await shown('sqsEndpointMemory')) ?? 0).toBeGreaterThan(endpoint * 0.75);
    expect((await shown('sqsEndpointMemory')) ?? 0).toBeLessThan(endpoint * 1.25);
    // Both drawn over time, one point per sample.
    const snapshot = (await (await fetch(`${runtime.dashboardUrl}api/snapshot`)).json()) as {
      memory: {
        series: { at: number[]; runtimeRssBytes: number[]; sqsEndpointRssBytes: number[] };
      };
    };
    const { series } = snapshot.memory;
    expect(series.at.length).toBeGreaterThan(1);
    expect(series.sqsEndpointRssBytes).toHaveLength(series.at.length);
    expect(series.runtimeRssBytes).toHaveLength(series.at.length);
    expect(await page.locator('#memory .uplot').count()).toBe(1);
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
