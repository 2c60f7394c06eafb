// First run in a real browser: a server with no projects shows the onboarding view; a
// read-only token cannot start anything and says why; a control token discovers projects
// under a folder and adds the chosen ones.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeDemoWorkspace } from '../../main/demo/workspace';
import { createToken, fetchSnapshot, launchBrowser, requireChromium, screenshot, ServeProcess, tempDir, type Browser } from './harness';

let workspace: string;
let server: ServeProcess;
let browser: Browser;
let controlToken: string;

beforeAll(async () => {
  requireChromium();
  workspace = await tempDir('discover');
  await writeDemoWorkspace(workspace);
  const configDir = await tempDir('config-empty');
  controlToken = await createToken(configDir, 'control');
  server = await ServeProcess.start({ roots: [], configDir });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('with no project registered, a read-only page shows onboarding with every control disabled and says how to get control', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=onboarding]');
  // Before any click: the banner, and each control off with the way to control in its tooltip.
  await page.waitForSelector('[data-testid=readonly-banner]');
  await screenshot(page, '0-onboarding');
  for (const id of ['start-demo', 'discover-submit', 'add-folder-submit', 'add-folder-path', 'discover-path']) {
    const control = page.locator(`[data-testid=${id}]`);
    expect(await control.getAttribute('aria-disabled'), id).toBe('true');
    expect(await control.getAttribute('title'), id).toContain('vigil serve --control');
  }
  expect(await page.locator('[data-testid=start-demo]').isDisabled()).toBe(true);
  // The words a person reads never name a request.
  expect(await page.textContent('body')).not.toMatch(/demo:start|project:add|projects:discover/);
  await page.close();
});

test('a control token discovers the projects under a folder and adds the chosen ones', async () => {
  const page = await browser.newPage();
  await page.goto(server.urlWith(controlToken));
  await page.waitForSelector('[data-testid=onboarding]');
  await page.fill('[data-testid=discover-path]', workspace);
  await page.click('[data-testid=discover-submit]');
  await page.waitForSelector('[data-testid=discover-results]');
  const candidates = page.locator('[data-testid=discover-candidate]');
  expect(await candidates.count()).toBe(8);
  // Leave one out: only the chosen ones are added.
  await candidates.first().uncheck();
  await page.click('[data-testid=discover-add]');
  await page.waitForSelector('[data-testid=view-overview]', { timeout: 15_000 });
  expect(await page.locator('[data-testid=onboarding]').count()).toBe(0);
  await page.click('[data-testid=tab-projects]');
  await expect.poll(() => page.locator('[data-testid=project-row]').count(), { timeout: 10_000 }).toBe(7);
  expect((await fetchSnapshot(server)).projects).toHaveLength(7);
  await page.close();
});

test('"Open demo workspace" with a control token fills the dashboard with the eight demo projects, none of them saved', async () => {
  const configDir = await tempDir('config-demo');
  const token = await createToken(configDir, 'control');
  const demoServer = await ServeProcess.start({ roots: [], configDir });
  try {
    const page = await browser.newPage();
    await page.goto(demoServer.urlWith(token));
    await page.waitForSelector('[data-testid=onboarding]');
    await page.click('[data-testid=start-demo]');
    await page.waitForSelector('[data-testid=view-overview]', { timeout: 20_000 });
    await page.click('[data-testid=tab-projects]');
    await expect.poll(() => page.locator('[data-testid=project-row]').count(), { timeout: 10_000 }).toBe(8);
    expect((await fetchSnapshot(demoServer)).projects).toHaveLength(8);
    // The demo lives only as long as the server: its projects are not written to the config.
    const { readFile } = await import('node:fs/promises');
    const saved = await readFile(`${configDir}/projects.json`, 'utf8').catch(() => '{"projects":[]}');
    expect((JSON.parse(saved) as { projects: unknown[] }).projects).toEqual([]);
    await page.close();
  } finally {
    await demoServer.stop();
  }
}, 60_000);
