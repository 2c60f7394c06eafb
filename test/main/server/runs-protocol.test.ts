// Runs over socket.io, as a browser or script sees them: a control token starts, cancels and
// retries; a read token lists and watches but is refused the rest; a run's log is followed by
// the run's id and ends with the sentinel; GET /api/runs answers with the active runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { MemoryRunJournal } from '../../../main/runs/journal';
import { Runs } from '../../../main/runs/runs';
import { startServer, type VigilServer } from '../../../main/server/server';
import { TokenStore } from '../../../main/server/tokens';
import { tempDir } from '../engine/live-helpers';
import { writeFakeAgent } from '../runs/fake-agent';
import { TestClient, until, writeTasks, type ClientSocket } from './world';

interface RunsServer {
  engine: Engine;
  runs: Runs;
  server: VigilServer;
  projectId: string;
  read: string;
  control: string;
  connect(token: string): Promise<TestClient>;
  close(): Promise<void>;
}

let current: RunsServer | null = null;

afterEach(async () => {
  await current?.close();
  current = null;
});

async function runsServer(): Promise<RunsServer> {
  const base = tempDir('vigil-runs-server-');
  const root = join(base.path, 'shop');
  await writeTasks(root, [
    { id: 1, title: 'Cart', status: 'pending' },
    { id: 2, title: 'Checkout; rm -rf /', status: 'pending' },
  ]);
  const agent = writeFakeAgent(base.path);
  const configDir = join(base.path, 'config');
  const config = new ConfigStore(configDir);
  await config.load();
  await config.updateActions((c) => ({
    ...c,
    actions: [
      { id: 'echo', label: 'Echo the item', argv: [...agent, 'argv', '{item.title}'], appliesTo: [{ source: 'taskmaster' }] },
      { id: 'hang', argv: [...agent, 'hang'] },
      { id: 'fail', argv: [...agent, 'lines', '1', '1', '4'] },
    ],
  }));
  // A project file nobody trusted: its action must not run for anyone.
  mkdirSync(join(root, '.vigil'));
  writeFileSync(join(root, '.vigil', 'actions.json'), JSON.stringify({ actions: [{ id: 'evil', argv: ['sh', '-c', 'touch pwned'] }] }));
  const engine = await createEngine({ roots: [root], config, driftSweepMs: 0, heartbeatMs: 200 });
  const runs = await Runs.open({ engine, config, journal: new MemoryRunJournal(), supervisor: { killGraceMs: 500, drainMs: 300 } });
  const tokens = await TokenStore.open(configDir);
  const read = (await tokens.create('read', 'phone')).secret;
  const control = (await tokens.create('control', 'laptop')).secret;
  const server = await startServer({ engine, tokens, port: 0, runs, log: () => undefined });
  const clients: TestClient[] = [];
  return {
    engine,
    runs,
    server,
    projectId: engine.projects()[0]!.id,
    read,
    control,
    async connect(token) {
      const socket: ClientSocket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const client = new TestClient(socket);
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.once('hello', () => resolve());
      });
      return client;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
      await runs.close();
      await engine.close();
      await tokens.close();
      base.remove();
    },
  };
}

const runEvent = (client: TestClient, type: string, runId: string): Run | undefined =>
  (client.events.find((e) => e.type === type && (e.payload as { run?: Run }).run?.id === runId)?.payload as { run: Run } | undefined)?.run;

describe('runs over socket.io', () => {
  test('a control token runs an action on an item; every client sees the events; the log streams to the end', async () => {
    current = await runsServer();
    const laptop = await current.connect(current.control);
    const phone = await current.connect(current.read);
    const actions = await phone.request('actions:list', { projectId: current.projectId, itemId: 'taskmaster:master:2' });
    expect(actions.ok && actions.data.actions.map((a) => a.id)).toEqual(['echo']);
    expect(actions.ok && actions.data.projectFile?.state).toBe('untrusted');

    const started = await laptop.request('run:start', { projectId: current.projectId, action: 'echo', itemId: 'taskmaster:master:2' });
    if (!started.ok) throw new Error(started.error.message);
    const runId = started.data.run.id;
    expect(started.data.run.startedBy).toBe('laptop');
    const followed = await phone.request('subscribe', { projects: 'all', logs: [{ runId }] });
    expect(followed.ok).toBe(true);

    const done = await until(() => runEvent(phone, 'run:succeeded', runId), 'the run to succeed on the phone');
    expect(done.exitCode).toBe(0);
    expect(runEvent(laptop, 'run:queued', runId)).toBeDefined();
    const lines = await until(() => {
      const all = phone.logs.filter((m) => m.runId === runId).flatMap((m) => m.lines.map((l) => l.text));
      return all.some((t) => t.startsWith('=== Run Complete === exit=0')) ? all : null;
    }, 'the sentinel in the run log');
    // The title with its shell metacharacters arrived as one argument.
    expect(lines.some((t) => t.endsWith('"Checkout; rm -rf /"'))).toBe(true);
    expect(phone.logs.find((m) => m.runId === runId)?.path).toBe(`runs/${runId}.log`);

    const listed = await phone.request('runs:list', { projectId: current.projectId });
    expect(listed.ok && listed.data.runs.map((r) => r.id)).toEqual([runId]);
  });

  test('a read token may not start, cancel or retry runs, nor start or stop batches', async () => {
    current = await runsServer();
    const phone = await current.connect(current.read);
    const attempts = await Promise.all([
      phone.request('run:start', { projectId: current.projectId, action: 'hang' }),
      phone.request('run:cancel', { runId: 'r_abc' }),
      phone.request('run:retry', { runId: 'r_abc' }),
      phone.request('batch:start', { projectId: current.projectId, action: 'echo', items: { next: 2 }, concurrency: 1, stopOnFailure: true }),
      phone.request('batch:stop', { batchId: 'b_abc' }),
    ]);
    for (const reply of attempts) expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(current.runs.supervisor.activeRuns()).toEqual([]);
  });

  test('no client can send a command line: an argv is not a field, an untrusted action is refused', async () => {
    current = await runsServer();
    const laptop = await current.connect(current.control);
    const sneaky = await laptop.rawRequest('run:start', { projectId: current.projectId, action: 'hang', argv: ['sh', '-c', 'id'] });
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const evil = await laptop.request('run:start', { projectId: current.projectId, action: 'evil' });
    expect(evil).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/not trusted/) } });
    const badLog = await laptop.rawRequest('subscribe', { projects: 'all', logs: [{ runId: '../../etc/passwd' }] });
    expect(badLog).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const unknownRun = await laptop.request('subscribe', { projects: 'all', logs: [{ runId: 'r_doesnotexist' }] });
    expect(unknownRun).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  test('cancel and retry from a control token; GET /api/runs?active=1 lists what runs', async () => {
    current = await runsServer();
    const laptop = await current.connect(current.control);
    const started = await laptop.request('run:start', { projectId: current.projectId, action: 'hang' });
    if (!started.ok) throw new Error(started.error.message);
    const runId = started.data.run.id;
    await until(() => runEvent(laptop, 'run:started', runId), 'the run to start');
    const api = await fetch(`${current.server.url}api/runs?active=1`, { headers: { Authorization: `Bearer ${current.read}` } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { runs: Run[] }).runs.map((r) => [r.id, r.state])).toEqual([[runId, 'running']]);
    expect((await fetch(`${current.server.url}api/runs?active=1`)).status).toBe(401);

    expect(await laptop.request('run:cancel', { runId })).toMatchObject({ ok: true });
    const cancelled = await until(() => runEvent(laptop, 'run:cancelled', runId), 'the cancel');
    expect(cancelled.reason).toContain('laptop');

    const retried = await laptop.request('run:retry', { runId });
    expect(retried).toMatchObject({ ok: true, data: { run: { attempt: 2, retryOf: runId, startedBy: 'laptop' } } });
    const hello = (await current.connect(current.read)).hello;
    expect(hello.snapshot.runs?.map((r) => r.id)).toEqual([retried.ok ? retried.data.run.id : '']);
  });
});
