// Every screen in a real browser, as a person meets it on a laptop (1440×900) and a phone
// (390×844), in the light and the dark theme (and on a tablet, 820×1180, in one): each tab, an item's detail, the files with
// issues and the log panel, checked by axe-core (no serious or critical violation), with no
// tab label cut off and nothing wider than the screen. Then what a read-only link looks like
// before anything is clicked, the theme choice, the keyboard, and the plans tree.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeDemoWorkspace } from '../../main/demo/workspace';
import {
  clippedTabLabels,
  createToken,
  fetchSnapshot,
  cutOffSideways,
  launchBrowser,
  requireChromium,
  screenshot,
  seriousAxeViolations,
  ServeProcess,
  tempDir,
  waitUntil,
  type Browser,
} from './harness';

const TABS = ['overview', 'projects', 'plans', 'stubs', 'workorders', 'activity', 'runs'] as const;
const SIZES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 820, height: 1180 },
] as const;
const THEMES = ['light', 'dark'] as const;
/** Laptop and phone in both themes; the tablet, in between, in one. */
const SCREENS = SIZES.flatMap((size) => (size.name === 'tablet' ? (['light'] as const) : THEMES).map((theme) => [`${size.name} ${size.width}×${size.height}, ${theme}`, size, theme] as const));
/** A task whose file is broken once it has been read: the item stays, with a parse issue. */
const BROKEN_TASK = 'harbor-docs/backlog/tasks/task-7 - Broken-frontmatter.md';

let workspace: string;
let configDir: string;
let server: ServeProcess;
let browser: Browser;
let controlToken: string;

async function openPage(size: { width: number; height: number }, token?: string): Promise<Page> {
  const page = await browser.newPage(size);
  await page.goto(token ? server.urlWith(token) : server.url);
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
  await page.waitForSelector('[data-testid=connection-indicator][data-status=connected]');
  return page;
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`[data-testid=tab-${tab}]`);
  await page.waitForSelector(`[data-testid=view-${tab}]`);
}

/** Everything a screen must be: accessible, its tab labels whole, nothing sticking out sideways. */
async function checkScreen(page: Page, name: string): Promise<void> {
  // Let the toasts and transitions of the last action settle before looking.
  await page.waitForFunction(() => (globalThis as unknown as { document: { getAnimations(): unknown[] } }).document.getAnimations().length === 0, undefined, { timeout: 5000 }).catch(() => undefined);
  expect(await seriousAxeViolations(page), name).toEqual([]);
  expect(await clippedTabLabels(page), name).toEqual([]);
  expect(await cutOffSideways(page), name).toEqual([]);
  await screenshot(page, name);
}

beforeAll(async () => {
  requireChromium();
  workspace = await tempDir('screens');
  configDir = await tempDir('screens-config');
  const roots = (await writeDemoWorkspace(workspace)).map((entry) => entry.root);
  await writeFile(join(workspace, BROKEN_TASK), '---\nid: task-7\ntitle: Migrate the search index\nstatus: To Do\n---\n\n- [ ] Export the old index\n');
  controlToken = await createToken(configDir, 'control');
  server = await ServeProcess.start({ roots, configDir });
  await waitUntil('the task to be read', async () => (await fetchSnapshot(server)).plans.some((p) => p.id === 'backlog:task:task-7'));
  // Half-written afterwards: the task keeps its last good reading and its file gets an issue.
  await writeFile(join(workspace, BROKEN_TASK), '---\nid: task-7\ntitle: Migrate the search index\nstatus: To Do\nlabels: [search, index\n---\n');
  await waitUntil('the broken file to show an issue', async () => (await fetchSnapshot(server)).issues.length > 0);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(SCREENS)('%s', (_label, size, theme) => {
  test('every tab, an item detail, the files with issues and the log panel pass axe, with whole tab labels and nothing wider than the screen', async () => {
    const page = await openPage(size, controlToken);
    const prefix = `${size.name}-${theme}`;
    await page.selectOption('[data-testid=theme-select]', theme);
    await page.waitForSelector(`html[data-theme=${theme}]`);
    for (const tab of TABS) {
      await openTab(page, tab);
      await checkScreen(page, `${prefix}-${TABS.indexOf(tab) + 1}-${tab}`);
    }

    // An epic's detail: its stories, as children, in their number order.
    await openTab(page, 'plans');
    await page.fill('[data-testid=plans-search]', 'Epic 1');
    await page.click('[data-testid=plan-row][data-id="bmad:epic:1"] [data-testid=open-item-detail]');
    await page.waitForSelector('[data-testid=item-detail][data-id="bmad:epic:1"]');
    expect(await page.textContent('[data-testid=detail-kind]')).toBe('epic');
    expect(await page.$$eval('[data-testid=detail-children] [data-testid=detail-plan-link]', (links) => links.map((l) => l.getAttribute('data-id')))).toEqual([
      'bmad:story:1-1-account-signup',
      'bmad:story:1-2-login-with-passkeys',
      'bmad:story:1-3-profile-settings',
    ]);
    await checkScreen(page, `${prefix}-7-detail`);
    await page.click('[data-testid=close-detail]');
    await page.fill('[data-testid=plans-search]', '');

    // The files with issues, each with what was wrong and a way to its item.
    await page.click('[data-testid=issue-count]');
    await page.waitForSelector('[data-testid=view-issues]');
    const file = page.locator(`[data-testid=issue-file][data-path="backlog/tasks/task-7 - Broken-frontmatter.md"]`);
    // What was wrong and where: the parser's own words, with the line.
    await expect.poll(() => file.locator('.issue-list li').count()).toBeGreaterThan(0);
    expect(await file.locator('.issue-list li').first().textContent()).toMatch(/^line \d+ \S/);
    await checkScreen(page, `${prefix}-8-issues`);
    await file.locator('[data-testid=issue-item-link]').click();
    await page.waitForSelector('[data-testid=item-detail][data-id="backlog:task:task-7"] [data-testid=detail-issues]');
    await page.click('[data-testid=close-detail]');

    // The log panel of a work order.
    await openTab(page, 'workorders');
    await page.click('[data-testid=workorder-row][data-id=WO-AUTH-SYSTEM-001] [data-testid=open-log]');
    await page.waitForSelector('[data-testid=log-panel] [data-testid=log-line]');
    await checkScreen(page, `${prefix}-9-log-panel`);
    await page.click('[data-testid=close-log]');
    await page.close();
  }, 120_000);
});

describe('a read-only link', () => {
  test('shows every control disabled, with a tooltip that says how to get control, before anything is clicked', async () => {
    const page = await openPage({ width: 1440, height: 900 });
    await page.waitForSelector('[data-testid=readonly-banner]');
    for (const tab of TABS) {
      await openTab(page, tab);
      const controls = await page.$$eval('[data-control]', (els) => els.map((el) => ({ text: (el as { textContent: string | null }).textContent ?? '', disabled: el.getAttribute('aria-disabled'), title: el.getAttribute('title') })));
      // The folder to add and its button, then Run, batch, pause and remove for each of the eight projects.
      if (tab === 'projects') expect(controls.length).toBe(2 + 4 * 8);
      for (const control of controls) {
        expect(control, tab).toMatchObject({ disabled: 'true' });
        expect(control.title, tab).toContain('vigil serve --control');
      }
    }
    await openTab(page, 'projects');
    await screenshot(page, 'read-only-projects');
    // A click on one does nothing: no request goes out, so no refusal comes back.
    const before = await fetchSnapshot(server);
    const pause = page.locator('[data-testid=pause-project]').first();
    expect(await pause.isDisabled()).toBe(true);
    // Playwright will not click what is disabled; a person's click still lands on it.
    await pause.click({ force: true });
    expect(await page.locator('[data-sonner-toast]').count()).toBe(0);
    expect((await fetchSnapshot(server)).projects.map((p) => p.state)).toEqual(before.projects.map((p) => p.state));
    await page.close();
  }, 60_000);
});

describe('the theme', () => {
  test('follows the system until a choice is made, and the choice is remembered', async () => {
    const page = await browser.newPage({ width: 1000, height: 700 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(server.urlWith(controlToken));
    // A choice made by another test on this origin would be remembered too: start from none.
    await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    await page.reload();
    await page.waitForSelector('html[data-theme=dark]');
    expect(await page.inputValue('[data-testid=theme-select]')).toBe('system');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForSelector('html[data-theme=light]');
    await page.selectOption('[data-testid=theme-select]', 'dark');
    await page.waitForSelector('html[data-theme=dark]');
    await page.reload();
    await page.waitForSelector('[data-testid=app][data-loaded=true]');
    await page.waitForSelector('html[data-theme=dark]');
    expect(await page.inputValue('[data-testid=theme-select]')).toBe('dark');
    const background = await page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { documentElement: unknown } }).getComputedStyle((globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement).backgroundColor);
    expect(background).toBe('rgb(16, 19, 23)');
    await page.close();
  }, 60_000);
});

describe('the keyboard', () => {
  test('arrow keys move between tabs, Enter on a title opens its detail, Escape closes it and gives the focus back', async () => {
    const page = await openPage({ width: 1440, height: 900 }, controlToken);
    await page.focus('[data-testid=tab-overview]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid=view-projects]');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('tab-projects');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=view-runs]');
    await page.keyboard.press('3');
    await page.waitForSelector('[data-testid=view-plans]');

    const title = page.locator('[data-testid=plan-row][data-id="bmad:epic:1"] [data-testid=open-item-detail]');
    await title.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=item-detail][data-id="bmad:epic:1"]');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className)).toBe('detail-title');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=item-detail]').count()).toBe(0);
    expect(await title.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);

    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=shortcuts]');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=shortcuts]').count()).toBe(0);
    await page.close();
  }, 60_000);
});

describe('the plans', () => {
  test('sit in a tree in their tool\'s order, collapse, sort by status on request; an epic that moves says "epic" in Activity', async () => {
    const page = await openPage({ width: 1440, height: 2400 }, controlToken);
    await openTab(page, 'plans');
    const lumen = async () =>
      page.$$eval('[data-testid=plan-row]', (rows) =>
        rows.map((r) => `${r.getAttribute('data-depth')} ${r.getAttribute('data-id')}`).filter((r) => r.includes('bmad:')),
      );
    expect(await lumen()).toEqual([
      '0 bmad:epic:1',
      '1 bmad:story:1-1-account-signup',
      '1 bmad:story:1-2-login-with-passkeys',
      '1 bmad:story:1-3-profile-settings',
      '0 bmad:epic:2',
      '1 bmad:story:2-1-offline-cache',
      '1 bmad:story:2-2-push-notifications',
    ]);
    await page.click('[data-testid=plan-row][data-id="bmad:epic:1"] [data-testid=expander]');
    expect(await lumen()).toEqual(['0 bmad:epic:1', '0 bmad:epic:2', '1 bmad:story:2-1-offline-cache', '1 bmad:story:2-2-push-notifications']);
    await page.click('[data-testid=plan-row][data-id="bmad:epic:1"] [data-testid=expander]');
    await page.selectOption('[data-testid=plans-order]', 'status');
    // In progress first among the stories of epic 1.
    expect((await lumen()).slice(0, 2)).toEqual(['0 bmad:epic:1', '1 bmad:story:1-2-login-with-passkeys']);
    await page.selectOption('[data-testid=plans-order]', 'tool');

    // GSD: phases hold their plans, labelled as phases.
    expect(await page.textContent('[data-testid=plan-row][data-kind=phase] [data-testid=kind-label]')).toBe('phase');

    const sprint = join(workspace, 'lumen-mobile/_bmad-output/implementation-artifacts/sprint-status.yaml');
    await writeFile(sprint, (await readFile(sprint, 'utf8')).replace('epic-2: backlog', 'epic-2: in-progress'));
    await openTab(page, 'activity');
    const row = page.locator('[data-testid=activity-row][data-id="bmad:epic:2"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-testid=activity-kind]').textContent()).toBe('epic');
    await page.close();
  }, 60_000);
});
