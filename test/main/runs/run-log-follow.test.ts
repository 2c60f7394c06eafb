// Following a run's log by its id: a follower who joins mid-run gets the lines so far, then
// every new line once, numbered as the file numbers them; one who comes after the end gets
// the file. Either way what arrives is exactly the file.
import { readFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import type { LogLine, LogMessage } from '../../../shared/protocol';
import { waitUntil } from '../engine/live-helpers';
import { runsWorld, type RunsWorld } from './runs-world';

let world: RunsWorld;

afterEach(async () => {
  await world?.close();
});

function collect(into: Map<number, LogLine>): (msg: LogMessage) => void {
  return (msg) => {
    for (const line of msg.lines) into.set(line.n, line);
  };
}

const fileLines = (path: string): string[] => readFileSync(path, 'utf8').trimEnd().split('\n');

test('a follower who joins mid-run and one who comes after the end both hold exactly the file', async () => {
  world = await runsWorld();
  await world.addActions({ id: 'slow', argv: [...world.agent, 'lines', '40', '15', '0'] });
  const run = await world.runs.start({ projectId: world.projectId, action: 'slow' }, 'test');
  await waitUntil(() => (world.runs.supervisor.get(run.id)?.lastOutputAt ?? null) !== null, 10_000, 'the first lines');

  const early = new Map<number, LogLine>();
  const subscription = await world.runs.subscribeLog(run.id, collect(early));
  expect(subscription.backlog.runId).toBe(run.id);
  expect(subscription.backlog.path).toBe(`runs/${run.id}.log`);
  collect(early)(subscription.backlog);
  await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);
  await waitUntil(() => [...early.values()].some((l) => l.text.startsWith('=== Run Complete ===')), 5000, 'the sentinel');
  subscription.close();

  const file = fileLines(run.logPath);
  expect([...early.keys()].sort((a, b) => a - b)).toEqual(file.map((_, i) => i + 1));
  expect(file.map((text, i) => early.get(i + 1)?.text)).toEqual(file);
  expect(early.get(5)?.ts).toMatch(/^\d\d:\d\d:\d\d$/);

  const late = new Map<number, LogLine>();
  const after = await world.runs.subscribeLog(run.id, collect(late));
  collect(late)(after.backlog);
  after.close();
  expect(file.map((text, i) => late.get(i + 1)?.text)).toEqual(file);
});

test('an unknown run has no log to follow', async () => {
  world = await runsWorld();
  await expect(world.runs.subscribeLog('r_nope', () => undefined)).rejects.toMatchObject({ code: 'not_found' });
});
