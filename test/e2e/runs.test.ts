// Runs in a real browser against a real `vigil serve` on the demo workspace, whose projects
// offer the demo's own agent as actions (the GSD project's file trusted with `vigil action
// trust`, as a user would): Run on a plan streams its log to Complete and the Runs tab shows
// it, and so does the plan's detail; a long run is cancelled; a failed run is retried; a read-only link cannot run anything.
import { spawn } from 'node:child_process';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeDemoWorkspace } from '../../main/demo/workspace';
import { CLI, createToken, launchBrowser, requireChromium, screenshot, ServeProcess, tempDir, type Browser } from './harness';

let server: ServeProcess;
let browser: Browser;
let control: string;
let gsdRoot: string;

async function vigil(...args: string[]): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`vigil ${args.join(' ')} exited ${code}: ${err}`);
}

beforeAll(async () => {
  requireChromium();
  const workspace = await tempDir('runs-workspace');
  const configDir = await tempDir('runs-config');
  const entries = await writeDemoWorkspace(workspace);
  const roots = entries.map((entry) => entry.root);
  gsdRoot = entries.find((entry) => entry.project.convention === 'gsd')!.root;
  await vigil('action', 'trust', gsdRoot, '--config-dir', configDir);
  control = await createToken(configDir, 'control');
  server = await ServeProcess.start({ roots, configDir });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openControlPage(): Promise<Page> {
  const page = await browser.newPage({ width: 1360, height: 1600 });
  await page.goto(server.urlWith(control));
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
  return page;
}

/** Open the Run menu of the plan in `planRow` and pick `action`. */
async function pickAction(page: Page, planRow: Locator, action: string): Promise<void> {
  const choice = page.locator(`[data-testid=run-action][data-action="${action}"]`);
  // The simulated agent keeps changing the workspace, and a row drawn again closes its open
  // menu: open it again until the action can be picked.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!(await choice.isVisible())) await planRow.locator('[data-testid=run-button]').click();
    try {
      await choice.click({ timeout: 3000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** Click Run on the first GSD plan and pick `action`; returns the plan's id. */
async function runOnPlan(page: Page, action: string): Promise<string> {
  await page.click('[data-testid=tab-plans]');
  const row = page.locator('[data-testid=plan-row][data-id^="gsd:plan:"]').first();
  await row.waitFor();
  const planId = (await row.getAttribute('data-id'))!;
  await pickAction(page, page.locator(`[data-testid=plan-row][data-id="${planId}"]`), action);
  return planId;
}

test('Run on a plan of the demo: the log panel streams, the run ends Complete, and the Runs tab shows it', async () => {
  const page = await openControlPage();
  const planId = await runOnPlan(page, 'demo-agent');
  const panel = page.locator('[data-testid=log-panel]');
  await panel.waitFor();
  // Lines arrive while it runs, then the sentinel turns the panel to Complete.
  await expect.poll(async () => page.locator('[data-testid=log-line]').count(), { timeout: 20_000 }).toBeGreaterThan(3);
  await page.waitForSelector('[data-testid=log-streaming][data-state=complete]', { timeout: 30_000 });
  expect(await page.locator('[data-testid=log-line]').last().textContent()).toMatch(/=== Run Complete === exit=0/);
  await screenshot(page, 'runs-1-log-complete');

  await page.click('[data-testid=tab-runs]');
  const row = page.locator(`[data-testid=run-row][data-item="${planId}"][data-state=succeeded]`);
  await row.waitFor({ timeout: 10_000 });
  expect(await row.locator('[data-testid=run-cost]').textContent()).toMatch(/tokens/);
  await screenshot(page, 'runs-2-tab');

  // The plan's detail lists its runs.
  await page.click('[data-testid=tab-plans]');
  await page.click(`[data-testid=plan-row][data-id="${planId}"] [data-testid=open-item-detail]`);
  const inDetail = page.locator(`[data-testid=detail-section-runs] [data-testid=run-row][data-item="${planId}"][data-state=succeeded]`);
  await inDetail.waitFor({ timeout: 10_000 });
  await screenshot(page, 'runs-4-detail');
  await page.close();
}, 90_000);

test('a long run is cancelled from the Runs tab', async () => {
  const page = await openControlPage();
  const planId = await runOnPlan(page, 'demo-agent-long');
  // The row of the plan says a run is going.
  await page.locator(`[data-testid=plan-row][data-id="${planId}"] [data-testid=running-badge][data-state=running]`).waitFor({ timeout: 15_000 });
  await page.click('[data-testid=tab-runs]');
  const running = page.locator(`[data-testid=run-row][data-item="${planId}"][data-state=running][data-action=demo-agent-long]`);
  await running.waitFor({ timeout: 15_000 });
  await running.locator('[data-testid=run-cancel]').click();
  await page.locator(`[data-testid=run-row][data-item="${planId}"][data-state=cancelled]`).waitFor({ timeout: 20_000 });
  await page.close();
}, 90_000);

test('a failed run is retried as its next attempt', async () => {
  const page = await openControlPage();
  const planId = await runOnPlan(page, 'demo-agent-flaky');
  await page.click('[data-testid=tab-runs]');
  const failed = page.locator(`[data-testid=run-row][data-item="${planId}"][data-action=demo-agent-flaky][data-state=failed]`).first();
  await failed.waitFor({ timeout: 30_000 });
  const firstId = await failed.getAttribute('data-run');
  await failed.locator('[data-testid=run-retry]').click();
  const retry = page.locator(`[data-testid=run-row][data-item="${planId}"][data-action=demo-agent-flaky]:not([data-run="${firstId}"])`).first();
  await retry.waitFor({ timeout: 15_000 });
  expect(await retry.textContent()).toContain('attempt 2');
  await screenshot(page, 'runs-3-retry');
  await page.close();
}, 90_000);

test('a read-only link shows Run disabled, with the reason', async () => {
  const page = await browser.newPage({ width: 1360, height: 1600 });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
  await page.click('[data-testid=tab-plans]');
  const button = page.locator('[data-testid=plan-row][data-id^="gsd:plan:"] [data-testid=run-button]').first();
  await button.waitFor();
  // Disabled from the start (the page asked what its token may do), saying why and what to do.
  await expect.poll(async () => button.getAttribute('aria-disabled'), { timeout: 10_000 }).toBe('true');
  expect(await button.getAttribute('title')).toMatch(/can only watch\. To run agents.*vigil token create --scope control/);
  const runIds = async (): Promise<string[]> =>
    ((await (await fetch(`${server.origin}/api/runs`, { headers: { Authorization: `Bearer ${server.token}` } })).json()) as { runs: { id: string }[] }).runs.map((r) => r.id);
  const before = await runIds();
  await button.click({ force: true });
  expect(await page.locator('[data-testid=run-action]').count()).toBe(0);
  expect(await page.locator('[data-testid=tab-runs]').count()).toBe(1);
  // Nothing was started.
  expect(await runIds()).toEqual(before);
  await page.close();
}, 60_000);

test('a project whose actions file is not trusted: its Run menu says so, and a browser is told the command that adds an action, not a Settings tab it lacks', async () => {
  const page = await openControlPage();
  await page.click('[data-testid=tab-plans]');
  const row = page.locator('[data-testid=plan-row]:not([data-id^="gsd:"])').first();
  await row.waitFor();
  const planId = (await row.getAttribute('data-id'))!;
  const menu = page.locator('[data-testid=run-menu]');
  // A row drawn again (the simulated agent keeps writing) closes its open menu: open it again
  // until its text has been read.
  let text: string | null = null;
  const deadline = Date.now() + 30_000;
  while (text === null || !text.includes('No action applies')) {
    if (!(await menu.isVisible())) await page.locator(`[data-testid=plan-row][data-id="${planId}"] [data-testid=run-button]`).click();
    text = await menu.textContent({ timeout: 3000 }).catch(() => null);
    if (Date.now() > deadline) throw new Error(`the Run menu never listed its actions: ${text}`);
  }
  expect(text).toContain('vigil action trust');
  expect(text).toContain('on the machine running Vigil: vigil action add --applies-to');
  expect(text).not.toContain('Settings');
  await page.close();
}, 60_000);
