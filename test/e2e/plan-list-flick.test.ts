// The Plans list flicked faster than anyone reads: rows coming in are drawn as glimpses (their
// status and title) and become full rows where they stand once the list stops; rows already
// shown stay whole, and a list scrolled at reading pace, or made to jump, never glimpses.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GLIMPSE_PX_PER_MS } from '../../renderer/components/glimpse-speed';
import { STATUS_LABELS } from '../../renderer/app/format';
import { itemKey } from '../../renderer/store/keys';
import type { Plan } from '../../shared/model';
import { fetchSnapshot, launchBrowser, requireChromium, ServeProcess, tempDir, type Browser } from './harness';

const TASKS = 400;
const TASK_STATUSES = ['pending', 'in-progress', 'done', 'review'];

let server: ServeProcess;
let browser: Browser;
let page: Page;
let plans: Map<string, Plan>;

beforeAll(async () => {
  requireChromium();
  const root = join(await tempDir('flick-workspace'), 'atlas');
  await mkdir(join(root, '.taskmaster', 'tasks'), { recursive: true });
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    id: i + 1,
    title: `Task ${i + 1}: wire the ${['parser', 'exporter', 'scheduler', 'cache'][i % 4]} into the build`,
    status: TASK_STATUSES[i % TASK_STATUSES.length],
    dependencies: [],
    subtasks: [],
  }));
  await writeFile(join(root, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks, metadata: {} } }, null, 2));
  server = await ServeProcess.start({ roots: [root], configDir: await tempDir('flick-config') });
  const snapshot = await fetchSnapshot(server);
  plans = new Map(snapshot.plans.map((plan) => [itemKey(plan.projectId, plan.id), plan]));
  expect(plans.size).toBe(TASKS);
  browser = await launchBrowser();
  page = await browser.newPage({ width: 1360, height: 900 });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=app][data-loaded=true]');
  await page.click('[data-testid=tab-plans]');
  await page.waitForSelector('[data-testid=plan-row]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Glimpse {
  key: string;
  title: string;
  status: string;
  top: string;
}

interface Scrolled {
  /** Frames after which a glimpse was in the list (of the scroll's and the 5 watched after it). */
  glimpseFrames: number;
  /** Every glimpse seen, as it stood after the frame it was seen in. */
  glimpses: Glimpse[];
  /** Keys of the full rows in the list before the first step. */
  before: string[];
}

/**
 * Scroll the Plans list `step` px a frame for `frames` frames, then watch it 5 frames more,
 * noting every glimpse after each frame. (Page code is a string here: this file is typed
 * without the DOM.)
 */
function scroll(step: number, frames: number): Promise<Scrolled> {
  return page.evaluate(`(async () => {
    const list = document.querySelector('[data-testid=plan-list]');
    const glimpsesNow = () =>
      [...list.querySelectorAll('[data-testid=item-glimpse]')].map((el) => ({
        key: el.dataset.key,
        title: el.querySelector('.glimpse-title').textContent,
        status: el.querySelector('.badge').textContent,
        top: el.closest('.list-slot').style.transform,
      }));
    const before = [...list.querySelectorAll('[data-testid=plan-row]')].map((el) => el.dataset.key);
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let glimpseFrames = 0;
    const glimpses = [];
    for (let i = 0; i < ${frames} + 5; i++) {
      if (i < ${frames}) list.scrollTop += ${step};
      await frame();
      const now = glimpsesNow();
      if (now.length > 0) glimpseFrames++;
      glimpses.push(...now);
    }
    return { glimpseFrames, glimpses, before };
  })()`) as Promise<Scrolled>;
}

/** Wait until the list no longer moves (a scroll is over 150 ms after its last event). */
async function atRest(): Promise<void> {
  await page.waitForSelector('[data-testid=plan-list][data-scrolling=false]', { state: 'attached', timeout: 10_000 });
}

test('scrolled at reading pace, every row comes into the list whole', async () => {
  // 8 px a frame is about 0.5 px a ms, a sixth of the glimpse speed.
  expect(8 / 16.7).toBeLessThan(GLIMPSE_PX_PER_MS / 4);
  const slow = await scroll(8, 90);
  expect(slow.glimpseFrames).toBe(0);
});

test('a flick draws the rows coming in as glimpses of their status and title, then full rows where they stood', async () => {
  // From the top, once the list has drawn it: the rows at 720 px have left.
  await page.evaluate(`document.querySelector('[data-testid=plan-list]').scrollTop = 0`);
  await atRest();
  expect(await page.evaluate(`Math.max(...[...document.querySelectorAll('[data-testid=plan-list] .list-slot')].map((el) => Number(el.dataset.index)))`)).toBeLessThan(40);
  // 1,500 px a frame: a glimpse speed unless a frame takes half a second.
  const flick = await scroll(1500, 12);

  expect(flick.glimpseFrames).toBeGreaterThan(0);
  for (const glimpse of flick.glimpses) {
    const plan = plans.get(glimpse.key);
    expect(plan, glimpse.key).toBeDefined();
    expect(glimpse.title).toBe(plan!.title);
    expect(glimpse.status).toBe(STATUS_LABELS[plan!.status]);
  }
  // A row shown whole before the flick is never taken down to its glimpse.
  const before = new Set(flick.before);
  expect(flick.glimpses.filter((g) => before.has(g.key))).toEqual([]);

  // Once the list stops, each glimpse still in it becomes its full row, at the same place.
  await atRest();
  expect(await page.locator('[data-testid=item-glimpse]').count()).toBe(0);
  const keptTops = new Map(flick.glimpses.map((g) => [g.key, g.top]));
  const fullTops = (await page.evaluate(
    `[...document.querySelectorAll('[data-testid=plan-list] [data-testid=plan-row]')].map((el) => [el.dataset.key, el.closest('.list-slot').style.transform])`,
  )) as [string, string][];
  const cameBack = fullTops.filter(([key]) => keptTops.has(key));
  expect(cameBack.length).toBeGreaterThan(0);
  for (const [key, top] of cameBack) expect(top, key).toBe(keptTops.get(key));
  const slots = await page.$$eval('[data-testid=plan-list] .list-slot', (els) => els.map((el) => el.firstElementChild?.getAttribute('data-testid') ?? null));
  expect(new Set(slots)).toEqual(new Set(['plan-row', ...(slots.includes('group-heading') ? ['group-heading'] : [])]));
});

test("a jump (End, a click on the scrollbar's track) is no flick: the rows it lands on come whole", async () => {
  await atRest();
  const jump = await scroll(8000, 1);
  expect(jump.glimpseFrames).toBe(0);
  expect(await page.locator('[data-testid=plan-row]').count()).toBeGreaterThan(0);
});
