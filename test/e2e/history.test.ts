// History in a real browser against a real `vigil serve` that keeps its journal in a temp
// config folder: Activity across a server restart and paging back past the live feed, the
// burn-up chart drawn from the journal, and the away panel for a page closed 15 minutes
// (the page's clock is Playwright's, set, never waited for).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EngineEvent } from '../../shared/protocol';
import { launchBrowser, requireChromium, screenshot, ServeProcess, tempDir, type Browser } from './harness';

let project: string;
let configDir: string;
let server: ServeProcess;
let browser: Browser;

type Task = { id: number; title: string; status: string };
let tasks: Task[] = [
  { id: 1, title: 'Build the cart', status: 'pending' },
  { id: 2, title: 'Checkout flow', status: 'pending' },
  { id: 3, title: 'Order emails', status: 'pending' },
  { id: 4, title: 'Toggle me', status: 'pending' },
];

async function setStatus(id: number, status: string): Promise<void> {
  tasks = tasks.map((t) => (t.id === id ? { ...t, status } : t));
  await writeFile(join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: tasks.map((t) => ({ ...t, subtasks: [] })) } }, null, 2));
}

/** The journal's item:status events, newest first, as the server answers them. */
async function statusEvents(): Promise<EngineEvent[]> {
  const res = await fetch(`${server.origin}/api/history?types=item:status&limit=500`, { headers: { Authorization: `Bearer ${server.token}` } });
  return ((await res.json()) as { events: EngineEvent[] }).events;
}

async function waitForStatus(title: string, to: string): Promise<void> {
  await expect
    .poll(async () => (await statusEvents()).some((e) => e.type === 'item:status' && e.payload.title === title && e.payload.to === to), { timeout: 10_000, interval: 50 })
    .toBe(true);
}

/** What a page asked the server, request by request (socket.io frames, or polling bodies). */
const asked = new WeakMap<Page, string[]>();

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ width: 1360, height: 1200 });
  const sent: string[] = [];
  asked.set(page, sent);
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(String(frame.payload))));
  page.on('request', (request) => {
    const body = request.postData();
    if (body) sent.push(body);
  });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
  return page;
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`[data-testid=tab-${tab}]`);
  await page.waitForSelector(`[data-testid=view-${tab}]`);
}

beforeAll(async () => {
  requireChromium();
  const workspace = await tempDir('history-workspace');
  project = join(workspace, 'shop');
  configDir = await tempDir('history-config');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await setStatus(1, 'pending');
  server = await ServeProcess.start({ roots: [project], configDir });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('history in the dashboard', () => {
  test('after a server restart the Activity tab still shows the earlier transitions, and pages back past the live feed', async () => {
    await setStatus(1, 'in-progress');
    await waitForStatus('Build the cart', 'in_progress');
    await setStatus(1, 'done');
    await waitForStatus('Build the cart', 'done');
    // More transitions than the live feed keeps (200), so the oldest are only in the journal:
    // twenty tasks moved together, eleven times.
    tasks.push(...Array.from({ length: 20 }, (_, i) => ({ id: 10 + i, title: `Bulk ${i}`, status: 'pending' })));
    await setStatus(4, 'pending');
    for (let round = 0; round < 11; round++) {
      tasks = tasks.map((t) => (t.id >= 10 ? { ...t, status: round % 2 === 0 ? 'in-progress' : 'pending' } : t));
      await setStatus(4, round % 2 === 0 ? 'in-progress' : 'pending');
      // Each write seen before the next, so none is folded into another.
      await expect
        .poll(async () => (await statusEvents()).filter((e) => e.type === 'item:status' && e.payload.title === 'Toggle me').length, { timeout: 10_000, interval: 20 })
        .toBe(round + 1);
    }
    await expect.poll(async () => (await statusEvents()).length, { timeout: 20_000 }).toBeGreaterThan(200);

    const port = server.port;
    await server.stop();
    server = await ServeProcess.start({ roots: [project], configDir, port });

    const page = await openPage();
    await openTab(page, 'activity');
    // The newest transitions are the live feed's, from the journal after the restart.
    await page.waitForSelector('[data-testid=activity-row][data-id="taskmaster:master:4"]');
    // Scrolling to the end loads older pages until the journal's beginning.
    await expect
      .poll(
        async () => {
          await page.locator('[data-testid=activity-list]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return page.locator('[data-testid=activity-more]').textContent();
        },
        { timeout: 20_000, interval: 200 },
      )
      .toContain('The beginning of the journal.');
    const count = (await page.locator('[data-testid=activity-count]').textContent()) ?? '';
    expect(Number(/([\d,]+) status changes/.exec(count)?.[1]?.replaceAll(',', ''))).toBeGreaterThan(200);
    // The very first transitions, long gone from the live feed, are at the bottom.
    await page.locator('[data-testid=activity-list]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForSelector('[data-testid=activity-row][data-id="taskmaster:master:1"][data-to=in_progress]');
    await page.waitForSelector('[data-testid=activity-row][data-id="taskmaster:master:1"][data-to=done]');
    // Filters stay while paging: one project, only the cart.
    await page.fill('[data-testid=activity-search]', 'cart');
    await expect.poll(() => page.locator('[data-testid=activity-row]').count()).toBe(2);
    await screenshot(page, 'history-activity-after-restart');

    // The plan's own history in its detail: its timeline from the journal and its cycle time.
    await openTab(page, 'plans');
    await page.click('[data-testid=plan-row][data-id="taskmaster:master:1"] [data-testid=open-item-detail]');
    await page.waitForSelector('[data-testid=item-timeline] [data-testid=timeline-step][data-to=done]');
    expect(await page.locator('[data-testid=item-timeline] [data-testid=timeline-step]').evaluateAll((els) => els.map((el) => el.getAttribute('data-to')))).toEqual([
      'in_progress',
      'done',
    ]);
    expect(await page.locator('[data-testid=item-cycle]').getAttribute('data-state')).toBe('finished');
    expect(await page.locator('[data-testid=item-cycle]').textContent()).toMatch(/Cycle time/);
    await page.close();
  }, 120_000);

  test('the burn-up chart renders with the journal’s data', async () => {
    await setStatus(2, 'done');
    await waitForStatus('Checkout flow', 'done');
    const page = await openPage();
    const chart = page.locator('[data-testid=burnup-chart]');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    // Drawn, not just mounted: the canvas has coloured pixels.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const painted = await chart.locator('canvas').evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n += 1;
      return n;
    });
    expect(painted).toBeGreaterThan(100);
    await page.waitForSelector('[data-testid=throughput-chart] canvas');
    await screenshot(page, 'history-overview-charts');
    await page.close();
  }, 60_000);

  test('the away panel appears for a page that was closed 15 minutes, most important first, and not after 5', async () => {
    const start = Date.now();
    await browser.context.clock.setFixedTime(start);
    const before = await openPage();
    // The page has written down what it saw, and when.
    const storedKeys = () => before.evaluate(() => Object.keys((globalThis as unknown as { localStorage: Record<string, string> }).localStorage));
    await expect.poll(async () => (await storedKeys()).some((k) => k.startsWith('vigil:last-seen:'))).toBe(true);
    await before.close();

    await setStatus(3, 'in-progress');
    await waitForStatus('Order emails', 'in_progress');
    await setStatus(2, 'pending');
    await setStatus(2, 'in-progress');
    await waitForStatus('Checkout flow', 'in_progress');
    await setStatus(2, 'cancelled');
    await waitForStatus('Checkout flow', 'cancelled');
    await setStatus(4, 'done');
    await waitForStatus('Toggle me', 'done');

    await browser.context.clock.setFixedTime(start + 15 * 60_000);
    const back = await openPage();
    const panel = back.locator('[data-testid=away-panel]');
    await panel.waitFor({ timeout: 10_000 });
    expect(asked.get(back)?.some((m) => m.includes('"history:digest"'))).toBe(true);
    expect(await panel.locator('h2').textContent()).toMatch(/While you were away \(15 min/);
    const entries = await panel.locator('[data-testid=away-entry]').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-what')} ${el.getAttribute('data-id')}`));
    expect(entries).toEqual(['finished taskmaster:master:4', 'started taskmaster:master:3']);
    expect(await panel.locator('[data-testid=away-counts]').textContent()).toMatch(/shop: 1 finished, 1 started/);
    await screenshot(back, 'history-away-panel');
    await back.click('[data-testid=away-dismiss]');
    expect(await panel.count()).toBe(0);
    await back.close();

    await setStatus(3, 'done');
    await waitForStatus('Order emails', 'done');
    await browser.context.clock.setFixedTime(start + 20 * 60_000);
    const soon = await openPage();
    await soon.waitForSelector('[data-testid=view-overview]');
    // Five minutes since the last visit: the page has looked (it wrote down this visit's time)
    // and asked for no digest, so no panel can come, whatever happened.
    const lastSeenAt = () =>
      soon.evaluate(() => {
        const storage = (globalThis as unknown as { localStorage: { key(i: number): string | null; getItem(k: string): string | null; length: number } }).localStorage;
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i) ?? '';
          if (key.startsWith('vigil:last-seen:')) return (JSON.parse(storage.getItem(key) ?? 'null') as { at: number } | null)?.at ?? null;
        }
        return null;
      });
    await expect.poll(lastSeenAt).toBe(start + 20 * 60_000);
    await expect.poll(async () => Number(await soon.locator('[data-testid=burnup-chart]').getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(asked.get(soon)?.some((m) => m.includes('"history:burnup"'))).toBe(true);
    expect(asked.get(soon)?.some((m) => m.includes('"history:digest"'))).toBe(false);
    expect(await soon.locator('[data-testid=away-panel]').count()).toBe(0);
    await soon.close();
  }, 60_000);
});
