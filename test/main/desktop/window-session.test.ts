// The window's side of the protocol, over a real engine watching real folders: what the
// Electron bridge forwards to our window, without Electron (the push function stands in for
// webContents.send).
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Heartbeat } from '../../../shared/model';
import type { EngineEvent, LogMessage, ServerEvents } from '../../../shared/protocol';
import { createWindowSession, type Push, type WindowSession } from '../../../main/desktop/window-session';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { projectIdFor } from '../../../main/engine/project-id';
import { until, writeTasks } from '../server/world';

let base: string;
let alpha: string;
let beta: string;
let engine: Engine;
let session: WindowSession;
let pushed: { event: keyof ServerEvents; arg: unknown }[];

const events = (): EngineEvent[] => pushed.filter((p) => p.event === 'events').flatMap((p) => p.arg as EngineEvent[]);
const logs = (): LogMessage[] => pushed.filter((p) => p.event === 'log').map((p) => p.arg as LogMessage);

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-window-'));
  alpha = join(base, 'alpha');
  beta = join(base, 'beta');
  await writeTasks(alpha, [{ id: 1, title: 'Login page', status: 'in-progress' }]);
  await writeTasks(beta, [{ id: 1, title: 'Payments', status: 'pending' }]);
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside', 'secret.log'), 'secret\n');
  engine = await createEngine({ roots: [alpha, beta], driftSweepMs: 0, heartbeatMs: 100 });
  pushed = [];
  const push: Push = (event, ...args) => void pushed.push({ event, arg: args[0] });
  session = createWindowSession(engine, push);
});

afterEach(async () => {
  session.dispose();
  await engine.close();
  await rm(base, { recursive: true, force: true });
});

describe('the window session', () => {
  test('hello carries the snapshot; later changes arrive as events after its seq', async () => {
    const hello = session.hello();
    expect(hello.snapshot.plans.map((p) => p.title).sort()).toEqual(['Login page', 'Payments']);
    expect(hello.seq).toBe(hello.snapshot.seq);

    await writeTasks(alpha, [{ id: 1, title: 'Login page', status: 'done' }]);
    const status = await until(() => events().find((e) => e.type === 'item:status'), 'item:status pushed');
    expect(status.payload).toMatchObject({ projectId: projectIdFor(alpha), from: 'in_progress', to: 'done' });
    const seqs = events().map((e) => e.seq);
    expect(seqs[0]).toBe(hello.seq + 1);
    expect(seqs).toEqual(seqs.map((_, i) => hello.seq + 1 + i));
  });

  test('heartbeats are pushed once the window said hello', async () => {
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(pushed.filter((p) => p.event === 'heartbeat')).toEqual([]);
    session.hello();
    const beat = await until(() => pushed.find((p) => p.event === 'heartbeat'), 'a heartbeat');
    expect((beat.arg as Heartbeat).running).toBe(true);
  });

  test('subscribing to one project filters the other out; resync replays what was missed', async () => {
    const hello = session.hello();
    const reply = await session.request('subscribe', { projects: [projectIdFor(beta)] });
    expect(reply).toEqual({ ok: true, data: { projects: [projectIdFor(beta)], logs: [] } });

    await writeTasks(alpha, [{ id: 1, title: 'Login page', status: 'done' }]);
    await writeTasks(beta, [{ id: 1, title: 'Payments', status: 'in-progress' }]);
    await until(() => events().find((e) => e.type === 'item:status'), 'beta status');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events().filter((e) => e.type === 'item:status').map((e) => e.payload.projectId)).toEqual([projectIdFor(beta)]);

    const resync = await session.request('resync', { sinceSeq: hello.seq });
    expect(resync.ok && 'events' in resync.data && resync.data.events.every((e) => e.seq > hello.seq)).toBe(true);
  });

  test('a log inside the project is followed; one outside is refused and the subscription stays', async () => {
    session.hello();
    await writeFile(join(alpha, '.taskmaster', 'agent.log'), 'first line\n');
    const ok = await session.request('subscribe', { projects: 'all', logs: [{ projectId: projectIdFor(alpha), path: '.taskmaster/agent.log' }] });
    expect(ok).toMatchObject({ ok: true, data: { logs: [{ projectId: projectIdFor(alpha), path: '.taskmaster/agent.log' }] } });
    expect(logs()[0]?.lines.map((l) => l.text)).toEqual(['first line']);

    const refused = await session.request('subscribe', {
      projects: 'all',
      logs: [{ projectId: projectIdFor(alpha), path: '../outside/secret.log' }],
    });
    expect(refused).toMatchObject({ ok: false, error: { event: 'subscribe', code: 'forbidden' } });
    expect(logs().some((m) => m.lines.some((l) => l.text === 'secret'))).toBe(false);

    await appendFile(join(alpha, '.taskmaster', 'agent.log'), 'second line\n');
    await until(() => logs().some((m) => m.lines.some((l) => l.text === 'second line')), 'the appended line');
  });

  test('bad requests are answered with errors, never thrown', async () => {
    session.hello();
    expect(await session.request('project:add', { root: 42 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await session.request('resync', { sinceSeq: -1, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await session.request('project:add', { root: join(base, 'missing') })).toMatchObject({
      ok: false,
      error: { event: 'project:add', message: expect.stringContaining('does not exist') },
    });
  });

  test('commands reach the engine', async () => {
    session.hello();
    expect(await session.request('engine:stop', {})).toEqual({ ok: true, data: {} });
    expect(engine.running).toBe(false);
    expect(await session.request('engine:start', {})).toEqual({ ok: true, data: {} });
    expect(engine.running).toBe(true);
    const gamma = join(base, 'gamma');
    await writeTasks(gamma, [{ id: 1, title: 'New', status: 'pending' }]);
    expect(await session.request('project:add', { root: gamma })).toEqual({ ok: true, data: { projectId: projectIdFor(gamma) } });
    expect(await session.request('demo:start', {})).toMatchObject({ ok: false, error: { event: 'demo:start' } });
  });

  test('after dispose nothing more is pushed', async () => {
    session.hello();
    session.dispose();
    pushed = [];
    await writeTasks(alpha, [{ id: 1, title: 'Login page', status: 'done' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pushed).toEqual([]);
  });
});
