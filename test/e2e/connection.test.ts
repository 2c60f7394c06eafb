// What the page says about its link, in a real browser: while the server is away the health is
// unknown (not "All good") and a button reconnects now; every return is announced; and a page
// from an earlier `vigil demo` says plainly that its link is no longer valid.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startVigil, stopVigil, urlsOf, type Running } from '../main/commands/cli-process';
import { launchBrowser, requireChromium, screenshot, ServeProcess, tempDir, type Browser } from './harness';

let browser: Browser;
let roots: string[];
let configDir: string;
const running: Running[] = [];

beforeAll(async () => {
  requireChromium();
  const project = join(await tempDir('connection'), 'shop');
  await mkdir(join(project, 'backlog', 'tasks'), { recursive: true });
  await writeFile(join(project, 'backlog', 'tasks', 'task-1 - Checkout.md'), '---\nid: task-1\ntitle: Checkout\nstatus: In Progress\n---\n\n- [x] Cart\n- [ ] Payment\n');
  roots = [project];
  configDir = await tempDir('connection-config');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const r of running) await stopVigil(r);
  await browser?.close();
});

async function waitConnected(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=connection-indicator][data-status=connected]', { timeout: 15_000 });
}

test('while the server is away the health is unknown and Reconnect now brings it back; each return says Reconnected', async () => {
  let server = await ServeProcess.start({ roots, configDir });
  const page = await browser.newPage({ width: 1200, height: 800 });
  try {
    await page.goto(server.url);
    await waitConnected(page);
    await page.waitForSelector('[data-testid=health-level][data-level=ok]');

    for (const round of [1, 2]) {
      const port = server.port;
      await server.stop();
      await page.waitForSelector('[data-testid=connection-indicator][data-status=disconnected]', { timeout: 10_000 });
      await page.getByText('Connection lost').waitFor();
      await page.waitForSelector('[data-testid=health-level][data-level=unknown]');
      expect(await page.textContent('[data-testid=health]')).not.toContain('All good');
      await page.waitForSelector('[data-testid=retry-in]');
      if (round === 1) await screenshot(page, 'disconnected-health-unknown');

      server = await ServeProcess.start({ roots, configDir, port });
      // The button may race an automatic attempt that got there first; either way it comes back.
      await page.click('[data-testid=reconnect-now]', { timeout: 3000 }).catch(() => undefined);
      await waitConnected(page);
      await page.getByText('Reconnected').waitFor({ timeout: 5000 });
      await page.waitForSelector('[data-testid=health-level][data-level=ok]');
    }
  } finally {
    await page.close();
    await server.stop();
  }
}, 90_000);

test('a page from an earlier vigil demo says plainly that its link is no longer valid', async () => {
  const first = startVigil(['demo', '--port', '0', '--seed', '5']);
  running.push(first);
  const [url] = await urlsOf(first);
  const port = new URL(url!).port;
  const page = await browser.newPage({ width: 1200, height: 800 });
  try {
    await page.goto(url!);
    await waitConnected(page);
    await stopVigil(first, 'SIGINT');
    await page.waitForSelector('[data-testid=connection-indicator][data-status=disconnected]', { timeout: 10_000 });

    const second = startVigil(['demo', '--port', port, '--seed', '6']);
    running.push(second);
    await urlsOf(second);
    await page.click('[data-testid=reconnect-now]', { timeout: 3000 }).catch(() => undefined);
    const banner = page.locator('[data-testid=auth-banner]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('This link is no longer valid');
    expect(await banner.textContent()).toContain('each `vigil demo` makes a new link');
    await screenshot(page, 'old-demo-link');
  } finally {
    await page.close();
  }
}, 90_000);
