// The dashboard in a real browser against a real `vigil serve`: what a person sees when files
// change on disk, when the server goes away and comes back, and with a read-only token.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeDemoWorkspace } from '../../main/demo/workspace';
import { GROUP_HEADING_HEIGHT, ITEM_ROW_HEIGHT } from '../../renderer/views/list-row-heights';
import type { Snapshot } from '../../shared/model';
import {
  comparablePage,
  comparableSnapshot,
  fetchSnapshot,
  launchBrowser,
  requireChromium,
  screenshot,
  ServeProcess,
  tempDir,
  type Browser,
} from './harness';

let workspace: string;
let configDir: string;
let roots: string[];
let server: ServeProcess;
let browser: Browser;
/** Tall, so every row of every list is rendered (the lists are virtualized). */
let pageA: Page;
/** A second page at a normal size: sees the same updates, and takes the screenshots. */
let pageB: Page;
let snapshot: Snapshot;

const TABS = ['overview', 'projects', 'plans', 'stubs', 'workorders', 'activity'] as const;

async function edit(rel: string, change: (text: string) => string): Promise<void> {
  const path = join(workspace, rel);
  const before = await readFile(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${rel} changed nothing`);
  await writeFile(path, after);
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`[data-testid=tab-${tab}]`);
  await page.waitForSelector(`[data-testid=view-${tab}]`);
}

const planRow = (id: string) => `[data-testid=plan-row][data-id="${id}"]`;

beforeAll(async () => {
  requireChromium();
  workspace = await tempDir('workspace');
  configDir = await tempDir('config');
  roots = (await writeDemoWorkspace(workspace)).map((entry) => entry.root);
  server = await ServeProcess.start({ roots, configDir });
  browser = await launchBrowser();
  // Time flows as usual, but a test can jump ahead (the reconnect banner waits 60 s).
  await browser.context.clock.install();
  pageA = await browser.newPage({ width: 1360, height: 3400 });
  pageB = await browser.newPage();
  await Promise.all([pageA.goto(server.url), pageB.goto(server.url)]);
  await Promise.all([pageA, pageB].map((p) => p.waitForSelector('[data-testid=app][data-loaded=true]')));
  snapshot = await fetchSnapshot(server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the dashboard against vigil serve', () => {
  test('the page loads with the token from the URL and takes it out of the address bar', async () => {
    await pageA.waitForSelector('[data-testid=connection-indicator][data-status=connected]');
    expect(pageA.url()).not.toContain('token=');
    expect(await pageA.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('vigil.token'))).toBe(server.token);
    // A reload still works: the token is kept for the tab.
    await pageA.reload();
    await pageA.waitForSelector('[data-testid=app][data-loaded=true]');
    await pageA.waitForSelector('[data-testid=connection-indicator][data-status=connected]');
    await pageA.waitForSelector('[data-testid=rtt]');
    // The refresh button asks for a whole new snapshot: same model, still connected.
    const seq = (await comparablePage(pageA)).seq;
    await pageA.click('[data-testid=refresh-button]');
    await pageA.waitForSelector('[data-testid=connection-indicator][data-status=connected]');
    expect((await comparablePage(pageA)).seq).toBeGreaterThanOrEqual(seq);
  });

  test('every tab renders the workspace items', async () => {
    expect(snapshot.projects).toHaveLength(8);
    await openTab(pageA, 'overview');
    // Phases and epics are counted as what they are, not as more plans.
    const leafPlans = snapshot.plans.filter((p) => p.kind !== 'phase' && p.kind !== 'epic').length;
    const phases = snapshot.plans.filter((p) => p.kind === 'phase').length;
    expect(await pageA.textContent('[data-testid=totals]')).toContain(`${phases} phases · ${leafPlans} plans`);
    await pageA.waitForSelector('[data-testid=heartbeat-tick]');
    await pageA.waitForSelector('[data-testid=health-level][data-level=ok]');

    await openTab(pageA, 'projects');
    expect(await pageA.locator('[data-testid=project-row]').count()).toBe(snapshot.projects.length);

    await openTab(pageA, 'plans');
    const rows = await pageA.$$eval('[data-testid=plan-row]', (els) => els.map((el) => `${el.getAttribute('data-id')} ${el.getAttribute('data-status')} ${el.getAttribute('data-done')}`));
    expect(rows.sort()).toEqual(snapshot.plans.map((p) => `${p.id} ${p.status} ${p.progress.done}`).sort());
    // The tool's own word is shown beside the normalized one.
    expect(await pageA.locator(`${planRow('bmad:story:1-3-profile-settings')} [data-testid=raw-status]`).textContent()).toBe('ready-for-dev');

    await openTab(pageA, 'stubs');
    expect(await pageA.locator('[data-testid=stub-row]').count()).toBe(snapshot.stubs.length);
    await openTab(pageA, 'workorders');
    expect(await pageA.locator('[data-testid=workorder-row]').count()).toBe(snapshot.workorders.length);
    await openTab(pageA, 'activity');
    await pageA.waitForSelector('[data-testid=view-activity]');

    // Filters: a search narrows the plans to one.
    await openTab(pageA, 'plans');
    await pageA.fill('[data-testid=plans-search]', 'passkeys');
    await expect.poll(() => pageA.locator('[data-testid=plan-row][data-context=false]').count()).toBe(1);
    // Its epic stays above it, as context, so the story is never shown out of place.
    expect(await pageA.getAttribute('[data-testid=plan-row][data-context=true]', 'data-id')).toBe('bmad:epic:1');
    await pageA.fill('[data-testid=plans-search]', '');

    // Keyboard: 1–6 switch tabs; screenshots of each (not assertions).
    for (const [i, tab] of TABS.entries()) {
      await pageB.keyboard.press(String(i + 1));
      await pageB.waitForSelector(`[data-testid=view-${tab}]`);
      await pageB.waitForTimeout(150);
      await screenshot(pageB, `${i + 1}-${tab}`);
    }
  });

  test('the Plans list draws its headings and rows at the heights it guesses, so a row scrolling in moves no other row', async () => {
    await openTab(pageA, 'plans');
    const slots = await pageA.$$eval('[data-testid=plan-list] .list-slot', (els) =>
      els.map((el) => ({ heading: el.querySelector('[data-testid=group-heading]') !== null, height: el.getBoundingClientRect().height })),
    );
    expect(slots.filter((s) => s.heading)).toHaveLength(snapshot.projects.filter((p) => snapshot.plans.some((plan) => plan.projectId === p.id)).length);
    expect(slots.filter((s) => !s.heading)).toHaveLength(snapshot.plans.length);
    for (const slot of slots) expect(slot.height).toBe(slot.heading ? GROUP_HEADING_HEIGHT : ITEM_ROW_HEIGHT);
  });

  test('ticking a checkbox in a file on disk updates the Plans tab of both pages without a reload', async () => {
    const id = 'speckit:feature:001-offline-sync';
    const before = snapshot.plans.find((p) => p.id === id)!.progress.done;
    await openTab(pageA, 'plans');
    await openTab(pageB, 'plans');
    // The second page has a normal height: narrow the list so the row is on screen (lists are virtualized).
    await pageB.fill('[data-testid=plans-search]', 'offline sync');
    await edit('relay-cli/specs/001-offline-sync/tasks.md', (text) => text.replace('- [ ] T', '- [X] T'));
    await Promise.all([pageA, pageB].map((p) => p.waitForSelector(`${planRow(id)}[data-done="${before + 1}"]`, { timeout: 10_000 })));
    await pageB.fill('[data-testid=plans-search]', '');
  });

  test('a status change appears in Activity on both pages', async () => {
    await openTab(pageA, 'activity');
    await openTab(pageB, 'overview');
    await edit('harbor-docs/backlog/tasks/task-2 - Document-the-plugin-API.md', (text) => text.replace('status: To Do', 'status: In Progress'));
    const row = '[data-testid=activity-row][data-id="backlog:task:task-2"][data-from=todo][data-to=in_progress]';
    await Promise.all([pageA.waitForSelector(row, { timeout: 10_000 }), pageB.waitForSelector(row, { timeout: 10_000 })]);
    await pageA.selectOption('[data-testid=activity-to]', 'done');
    await expect.poll(() => pageA.locator('[data-testid=activity-row][data-id="backlog:task:task-2"]').count()).toBe(0);
    await pageA.selectOption('[data-testid=activity-to]', '');
  });

  test("a log line appended on disk appears in the open log panel, which shows only that work order's lines", async () => {
    await openTab(pageB, 'workorders');
    await pageB.click('[data-testid=workorder-row][data-id=WO-AUTH-SYSTEM-001] [data-testid=open-log]');
    await pageB.waitForSelector('[data-testid=log-panel] [data-testid=log-line]');
    const marker = `e2e marker ${Date.now()}`;
    const log = join(workspace, 'atlas-api/coderef/workorder-log.txt');
    await appendFile(log, `WO-BOOTSTRAP-API-000 | atlas-api | other work order ${marker} | ${new Date().toISOString()}\n`);
    await appendFile(log, `WO-AUTH-SYSTEM-001 | atlas-api | ${marker} | ${new Date().toISOString()}\n`);
    const line = pageB.locator('[data-testid=log-line]', { hasText: marker });
    await line.waitFor({ timeout: 10_000 });
    expect(await pageB.locator('[data-testid=log-line]', { hasText: 'other work order' }).count()).toBe(0);
    // The row names the work order's feature and shows its newest log line as its latest activity.
    await expect.poll(() => pageB.textContent('[data-testid=workorder-row][data-id=WO-AUTH-SYSTEM-001] [data-testid=workorder-activity]')).toBe(marker);
    expect(await line.locator('[data-testid=log-ts]').count()).toBe(1);
    await pageB.waitForSelector('[data-testid=log-streaming][data-state=streaming]');
  });

  test('the log panel follows new lines, stops following when scrolled up, jumps back, copies, and survives a very long line', async () => {
    const log = join(workspace, 'atlas-api/coderef/workorder-log.txt');
    const scroller = '[data-testid=log-scroll]';
    const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `WO-AUTH-SYSTEM-001 | atlas-api | step ${from + i} | ${new Date().toISOString()}\n`).join('');
    const distanceFromBottom = () =>
      pageB.$eval(scroller, (el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await appendFile(log, lines(1, 150));
    await pageB.locator('[data-testid=log-line]', { hasText: 'step 150' }).waitFor();
    await expect.poll(distanceFromBottom).toBeLessThan(30);
    expect(await pageB.getAttribute(scroller, 'data-following')).toBe('true');

    // The reader scrolls up: new lines no longer move the view.
    await pageB.hover(scroller);
    await pageB.mouse.wheel(0, -1500);
    await pageB.waitForSelector(`${scroller}[data-following=false]`);
    await pageB.waitForSelector('[data-testid=jump-to-latest]');
    const top = await pageB.$eval(scroller, (el) => el.scrollTop);
    await appendFile(log, lines(151, 20));
    await expect.poll(() => pageB.textContent('[data-testid=log-count]')).toMatch(/^17\d lines/);
    expect(await pageB.$eval(scroller, (el) => el.scrollTop)).toBe(top);

    await pageB.click('[data-testid=jump-to-latest]');
    await pageB.locator('[data-testid=log-line]', { hasText: 'step 170' }).waitFor();
    await expect.poll(distanceFromBottom).toBeLessThan(30);
    expect(await pageB.locator('[data-testid=jump-to-latest]').count()).toBe(0);

    // A very long line wraps inside the panel instead of widening the page.
    await appendFile(log, `WO-AUTH-SYSTEM-001 | atlas-api | ${'x'.repeat(6000)} | ${new Date().toISOString()}\n`);
    await pageB.locator('[data-testid=log-line]', { hasText: 'xxxxxxxxxx' }).waitFor();
    const overflow = await pageB.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return d.documentElement.scrollWidth - d.documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);

    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await pageB.click('[data-testid=copy-all]');
    await pageB.getByText(/Copied \d+ lines/).waitFor();
    const copied = await pageB.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    expect(copied).toContain('step 170');
    expect(copied.split('\n').length).toBeGreaterThan(170);
    await screenshot(pageB, '7-log-panel');
  });

  test('with a read-only token, controls are disabled from the start with how to get control', async () => {
    await openTab(pageB, 'projects');
    await pageB.waitForSelector('[data-testid=readonly-banner]');
    expect(await pageB.locator('[data-testid=pause-project]').first().isDisabled()).toBe(true);
    expect(await pageB.locator('[data-testid=pause-project]').first().getAttribute('title')).toContain('vigil serve --control');
    await screenshot(pageB, '8-read-only');
  });

  test('stopping the server turns the indicator red with a toast; restarting it turns it green with no event lost', async () => {
    await openTab(pageA, 'plans');
    await openTab(pageB, 'overview');
    const port = server.port;
    await server.stop();
    await Promise.all(
      [pageA, pageB].map(async (page) => {
        await page.waitForSelector('[data-testid=connection-indicator][data-status=disconnected]', { timeout: 10_000 });
        await page.getByText('Connection lost').waitFor({ timeout: 5000 });
        await page.waitForSelector('[data-testid=stale-badge]');
      }),
    );
    // The health of a server we cannot reach is not "All good": it is unknown.
    await pageB.waitForSelector('[data-testid=health-level][data-level=unknown]');
    await pageB.waitForSelector('[data-testid=reconnect-now]');
    await screenshot(pageB, '9-disconnected');
    expect(await pageA.locator('[data-testid=reconnect-banner]').count()).toBe(0);

    // A minute later the pages say so plainly, with a Retry button.
    await pageB.clock.fastForward('01:05');
    for (const page of [pageA, pageB]) await page.waitForSelector('[data-testid=reconnect-banner]', { timeout: 10_000 });
    await screenshot(pageB, '10-reconnect-banner');

    // Work goes on while nobody watches.
    await edit('ember-ui/.kiro/specs/command-palette/tasks.md', (text) => text.replace('- [ ] 1.1', '- [x] 1.1'));
    server = await ServeProcess.start({ roots, configDir, port });
    expect(server.port).toBe(port);
    // The backoff has grown to tens of seconds by now: Retry skips the wait (unless an automatic
    // attempt due just now got there first, which takes the banner away).
    await Promise.all(
      [pageA, pageB].map(async (page) => {
        await page.click('[data-testid=retry-button]', { timeout: 3000 }).catch(() => undefined);
        await page.waitForSelector('[data-testid=connection-indicator][data-status=connected]', { timeout: 10_000 });
        await page.getByText('Reconnected').waitFor({ timeout: 5000 });
        expect(await page.locator('[data-testid=reconnect-banner]').count()).toBe(0);
      }),
    );
    // And after it.
    await edit('pilot-infra/openspec/changes/add-canary-deploys/tasks.md', (text) => text.replace('- [ ] 1.2', '- [x] 1.2'));
    await edit('quarry-data/.taskmaster/tasks/tasks.json', (text) => text.replace('"status": "pending"', '"status": "in-progress"'));

    for (const page of [pageA, pageB]) {
      await expect
        .poll(async () => {
          const [fromPage, fromServer] = await Promise.all([comparablePage(page), fetchSnapshot(server).then(comparableSnapshot)]);
          return JSON.stringify(fromPage) === JSON.stringify(fromServer) ? 'same' : JSON.stringify({ fromPage, fromServer });
        }, { timeout: 15_000, interval: 250 })
        .toBe('same');
    }
    const finalSnapshot = await fetchSnapshot(server);
    expect(finalSnapshot.plans.find((p) => p.id === 'kiro:spec:command-palette')!.progress.done).toBeGreaterThan(0);
    expect(await pageA.locator('[data-testid=stale-badge]').count()).toBe(0);
  }, 60_000);
});
