// The renderer as the Electron window runs it — IPC transport over `window.vigil` — in real
// Chromium with a stand-in preload (Electron itself cannot run here): desktop-only settings,
// the folder picker, and events pushed over IPC.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fakeCalls, installFakePreload } from './fake-preload';
import { launchBrowser, requireChromium, screenshot, ServeProcess, tempDir, type Browser } from './harness';

let server: ServeProcess;
let browser: Browser;
let page: Page;

const callsNamed = async (name: string) => (await page.evaluate(fakeCalls)).filter((c) => c.name === name).map((c) => c.payload);

beforeAll(async () => {
  requireChromium();
  // The server only hands out the built page here; the data comes over the fake IPC.
  server = await ServeProcess.start({ roots: [], configDir: await tempDir('config-desktop') });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.addInitScript(installFakePreload);
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('over IPC the window loads the snapshot, and pushed events update it', async () => {
  await page.waitForSelector('[data-testid=connection-indicator][data-status=connected]');
  await page.click('[data-testid=tab-plans]');
  await page.waitForSelector('[data-testid=plan-row][data-done="1"]');
  await page.evaluate(() => {
    const fake = (globalThis as unknown as Record<string, { emit(e: string, a: unknown): void; planEvent(seq: number, done: number): unknown }>).__fakePreload!;
    fake.emit('events', [fake.planEvent(4, 2)]);
  });
  await page.waitForSelector('[data-testid=plan-row][data-done="2"]');
  expect(await callsNamed('subscribe')).toEqual([{ projects: 'all', logs: [] }]);
});

test('the empty Runs tab points to Settings → Actions, which the window has', async () => {
  await page.click('[data-testid=tab-runs]');
  const hint = page.locator('[data-testid=runs-empty] [data-testid=actions-setup-hint]');
  await hint.waitFor();
  expect(await hint.textContent()).toContain('Add one in Settings → Actions, with vigil action add');
});

test('the settings panel: LAN server with its URL and QR code, tokens, notification rules, tray and updates', async () => {
  await page.click('[data-testid=tab-settings]');
  await page.waitForSelector('[data-testid=view-settings]');
  await page.check('[data-testid=lan-toggle]');
  expect(await page.textContent('[data-testid=lan-url]')).toBe('http://192.168.1.20:4317/#token=vigil_abc');
  await page.waitForFunction(() => {
    const img = (globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }).document.querySelector('[data-testid=lan-qr]');
    return img !== null && img.naturalWidth > 0;
  });
  expect(await callsNamed('lan:set')).toEqual([{ enabled: true }]);

  expect(await page.locator('[data-testid=token-row]').count()).toBe(1);
  await page.fill('[aria-label="Token label"]', 'laptop');
  await page.selectOption('[aria-label=Scope]', 'control');
  await page.click('text=Create token');
  await page.getByText('vigil_new_secret_shown_once').waitFor();
  await expect.poll(() => page.locator('[data-testid=token-row]').count()).toBe(2);
  expect(await callsNamed('tokens:create')).toEqual([{ scope: 'control', label: 'laptop' }]);
  await page.locator('[data-testid=token-row]', { hasText: 'phone' }).locator('text=Revoke').click();
  await expect.poll(() => page.locator('[data-testid=token-row]').count()).toBe(1);
  expect(await callsNamed('tokens:revoke')).toEqual([{ id: 't1' }]);

  await page.locator('label', { hasText: 'An item is done' }).locator('input').uncheck();
  await page.uncheck('[data-testid=close-to-tray]');
  await page.check('[data-testid=check-updates]');
  const sets = (await callsNamed('settings:set')) as Record<string, unknown>[];
  expect(sets[0]).toMatchObject({ notifications: { onDone: false, onFailed: true } });
  expect(sets[1]).toEqual({ closeToTray: false });
  expect(sets[2]).toEqual({ checkForUpdates: true });

  // Settings → Actions: a preset is turned on with a click.
  await page.check('[data-testid=preset-claude-code]');
  await expect.poll(() => callsNamed('actions:set')).toEqual([{ presets: ['claude-code'] }]);
  await screenshot(page, '11-desktop-settings');
});

test('alert channels: added (a webhook shows its secret once), tested, removed; the delivery log shows the test', async () => {
  await page.click('[data-testid=tab-settings]');
  await page.waitForSelector('[data-testid=settings-channels]');
  await page.selectOption('[aria-label="Channel type"]', 'webhook');
  await page.fill('[aria-label="Channel URL"]', 'https://ci.example.com/vigil/secret-path');
  await page.click('text=Add channel');
  await page.getByText('whsec_shown_once').waitFor();
  const row = page.locator('[data-testid=channel-row]');
  await row.waitFor();
  expect(await row.textContent()).toContain('https://ci.example.com/…');
  expect(await row.textContent()).not.toContain('secret-path');
  await row.locator('text=Test').click();
  await page.locator('[data-testid=delivery-log]').waitFor();
  expect(await callsNamed('channels:test')).toEqual([{ id: 'ch1' }]);
  await row.locator('text=Remove').click();
  await expect.poll(() => page.locator('[data-testid=channel-row]').count()).toBe(0);
  await screenshot(page, '12-desktop-alert-channels');
});

test("a project's card installs Claude Code hooks in a click", async () => {
  await page.click('[data-testid=tab-projects]');
  const control = page.locator('[data-testid=project-hooks]');
  await control.waitFor();
  expect(await control.textContent()).toContain('Claude Code hooks: not installed');
  await control.locator('text=Install').click();
  await expect.poll(() => control.textContent()).toContain('Claude Code hooks: installed');
  expect(await callsNamed('hooks:install')).toEqual([{ projectId: 'p1', agent: 'claude' }]);
});

test('a plan can be shown in its folder, and a clicked notification focuses its item', async () => {
  await page.click('[data-testid=tab-overview]');
  await page.evaluate(() => {
    const fake = (globalThis as unknown as Record<string, { emit(e: string, a: unknown): void }>).__fakePreload!;
    fake.emit('focus:item', { projectId: 'p1', kind: 'plan', id: 'speckit:feature:001-desk' });
  });
  await page.waitForSelector('[data-testid=view-plans]');
  expect(await page.inputValue('[data-testid=plans-search]')).toBe('speckit:feature:001-desk');
  await page.waitForSelector('[data-testid=item-detail][data-id="speckit:feature:001-desk"]');
  // In the desktop window the detail opens the file and shows it in its folder.
  await page.click('[data-testid=item-detail] [data-testid=open-item]');
  await expect.poll(() => callsNamed('item:open')).toEqual([{ projectId: 'p1', path: 'specs/001-desk/tasks.md' }]);
  await page.click('[data-testid=plan-row] [data-testid=reveal-item]');
  await expect.poll(() => callsNamed('item:reveal')).toEqual([{ projectId: 'p1', path: 'specs/001-desk/tasks.md' }]);
});

test('the desktop folder picker adds the chosen folder', async () => {
  await page.click('[data-testid=tab-projects]');
  await page.click('[data-testid=pick-folder]');
  await expect.poll(() => callsNamed('project:add')).toEqual([{ root: '/home/me/code/picked' }]);
});
