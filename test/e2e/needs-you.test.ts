// The Needs-you strip in Chromium, fed by real `vigil hook` processes: a Claude Code
// Notification hook for a project shows on every open page within a second, with the project,
// the agent and what it asked; the Stop hook clears it; the project card shows the agent.
import { spawn } from 'node:child_process';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCREENSHOTS, ServeProcess, launchBrowser, requireChromium, tempDir, type Browser } from './harness';

const HOOK = fileURLToPath(new URL('../../dist/hook.cjs', import.meta.url));

let base: string;
let project: string;
let configDir: string;
let server: ServeProcess;
let browser: Browser;
let pages: Page[];

/** Run the hook the way Claude Code does: in the project folder, the event's JSON on stdin. */
function hook(payload: object): Promise<number | null> {
  // Patient on a starved test machine: the test times the strip, not the hook.
  const env = { ...process.env, VIGIL_HOOK_MIN_WORK_MS: '5000' };
  const child = spawn(process.execPath, [HOOK, 'claude', '--config-dir', configDir], { cwd: project, stdio: ['pipe', 'ignore', 'ignore'], env });
  child.stdin.end(JSON.stringify(payload));
  return new Promise((resolve) => child.once('close', resolve));
}

const SESSION = '0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a54';
const claude = (event: string, extra: object): object => ({
  session_id: SESSION,
  transcript_path: `/home/dev/.claude/projects/-shop/${SESSION}.jsonl`,
  cwd: project,
  permission_mode: 'default',
  hook_event_name: event,
  ...extra,
});

beforeAll(async () => {
  requireChromium();
  base = await realpath(await tempDir('needs-you'));
  project = join(base, 'shop');
  configDir = join(base, 'config');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: [{ id: 1, title: 'Checkout page', status: 'in-progress', subtasks: [] }] } }));
  server = await ServeProcess.start({ roots: [project], configDir });
  browser = await launchBrowser();
  pages = [await browser.newPage(), await browser.newPage()];
  for (const page of pages) {
    await page.goto(server.url);
    await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('Needs you', () => {
  test('a Notification hook shows on both pages within a second; the Stop hook clears it', async () => {
    for (const page of pages) expect(await page.getByTestId('needs-you').count()).toBe(0);
    expect(await hook(claude('UserPromptSubmit', { prompt: 'Add the checkout button' }))).toBe(0);

    expect(await hook(claude('Notification', { message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' }))).toBe(0);
    // The hook has exited, so its post was answered: from here both pages have one second.
    const posted = performance.now();
    await Promise.all(pages.map((page) => page.getByTestId("needs-you-item").waitFor({ timeout: 1000 })));
    expect(performance.now() - posted).toBeLessThan(1000);
    for (const page of pages) {
      expect(await page.getByTestId('needs-you-item').textContent()).toMatch(/shop.*Claude Code.*Claude needs your permission to use Bash.*waiting/);
    }
    await pages[0]!.getByTestId('needs-you').screenshot({ path: join(SCREENSHOTS, 'needs-you-strip.png') });

    // The project card shows the agent waiting.
    await pages[1]!.keyboard.press('2');
    await pages[1]!.getByTestId('project-agents').waitFor();
    expect(await pages[1]!.getByTestId('agent-chip').first().getAttribute('data-state')).toBe('needs-input');

    expect(await hook(claude('Stop', { stop_hook_active: false, last_assistant_message: 'The checkout button is in.' }))).toBe(0);
    for (const page of pages) await page.getByTestId('needs-you').waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(() => pages[1]!.getByTestId('agent-chip').first().getAttribute('data-state')).toBe('idle');
  });
});
