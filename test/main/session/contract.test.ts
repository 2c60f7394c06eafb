// The protocol's contract, run case by case over both transports: a real socket.io client, and
// the desktop window's IPC bridge with only `electron` faked. A case that passes on one and
// fails on the other is a bug in the one protocol session both adapt (main/session/).
import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { LIMITS, PROTOCOL_VERSION, REQUEST_NAMES, type DomainEvent } from '../../../shared/protocol';
import type { Run } from '../../../shared/model';
import { projectOf } from '../../../main/session/project-filter';
import { writeFakeAgent } from '../runs/fake-agent';
import { History } from '../../../main/store/history';
import { tempDir } from '../engine/live-helpers';
import { until, writeTasks } from '../server/world';
import { TRANSPORTS, type ContractClient, type ContractWorld, type ContractWorldOptions, type Transport } from './transports';

vi.mock('electron', () => import('../electron/fake-electron'));

const worlds: ContractWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

// The fake agent the run cases start (a small Node script, run as a real child process).
const agentDir = mkdtempSync(join(tmpdir(), 'vigil-contract-agent-'));
const agent = writeFakeAgent(agentDir);
afterAll(() => rmSync(agentDir, { recursive: true, force: true }));

const ACTIONS = [
  { id: 'echo', label: 'Echo the title', argv: [...agent, 'argv', '{item.title}'], appliesTo: [{ source: 'taskmaster' as const }] },
  { id: 'hang', argv: [...agent, 'hang'] },
];

const runIn = (client: ContractClient, type: string, runId: string): Run | undefined =>
  (client.events.find((e) => e.type === type && (e.payload as { run?: Run }).run?.id === runId)?.payload as { run: Run } | undefined)?.run;

function expectConsecutive(seqs: number[], from: number): void {
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => from + i));
}

const throughput: DomainEvent = { type: 'throughput:changed', payload: { throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null } } };

/** `count` events, each in its own hub batch. */
async function publish(world: ContractWorld, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    world.engine.hub.publish([throughput]);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Something arrives after `client` has seen everything up to now: a later change proves earlier ones were not held back. */
async function settled(world: ContractWorld, client: ContractClient): Promise<void> {
  world.engine.hub.publish([throughput]);
  const seq = world.engine.hub.seq;
  await until(() => client.seqs.includes(seq), 'a marker event');
}

describe.each(TRANSPORTS.map((t) => [t.name, t] as [string, Transport]))('over %s', (_name, transport) => {
  async function world(options: ContractWorldOptions = {}): Promise<ContractWorld> {
    const created = await transport.create(options);
    worlds.push(created);
    return created;
  }

  describe('hello', () => {
    test('carries the protocol version, the seq, the snapshot and recent events', async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      const client = await w.connect();
      const hello = client.hello;
      expect(hello.protocol).toBe(PROTOCOL_VERSION);
      expect(Math.abs(hello.serverTime - Date.now())).toBeLessThan(5000);
      expect(hello.seq).toBe(w.engine.hub.seq);
      expect(hello.snapshot.seq).toBe(hello.seq);
      expect(hello.snapshot.projects.map((p) => p.id).sort()).toEqual([w.ids.alpha, w.ids.beta].sort());
      expect(hello.snapshot.plans.map((p) => p.title).sort()).toEqual(['alpha first task', 'beta first task']);
    });

    test('recent holds the last 50 events, none after the hello seq', async () => {
      const w = await world();
      await publish(w, 70);
      const client = await w.connect();
      expect(client.hello.recent).toHaveLength(50);
      expectConsecutive(
        client.hello.recent.map((e) => e.seq),
        client.hello.seq - 49,
      );
    });
  });

  describe('live events', () => {
    test('a file change arrives right after the hello seq, consecutive', async () => {
      const w = await world();
      const client = await w.connect();
      await writeTasks(w.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
      const status = await until(() => client.events.find((e) => e.type === 'item:status'), 'item:status');
      expect(status.payload).toMatchObject({ projectId: w.ids.alpha, kind: 'plan', to: 'done' });
      await settled(w, client);
      expectConsecutive(client.seqs, client.hello.seq + 1);
    });

    test('heartbeats arrive', async () => {
      const w = await world();
      const client = await w.connect();
      await until(() => client.beats.length >= 2, 'two heartbeats');
      expect(client.beats[1]!.tick).toBeGreaterThan(client.beats[0]!.tick);
    });

    test('subscribed to one project, a client gets its events and the global ones only', async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      const client = await w.connect();
      expect(await client.request('subscribe', { projects: [w.ids.beta!] })).toEqual({ ok: true, data: { projects: [w.ids.beta], logs: [] } });
      await writeTasks(w.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
      await writeTasks(w.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'in-progress' }]);
      await until(() => client.events.some((e) => e.type === 'item:status' && projectOf(e) === w.ids.beta), 'beta status');
      await until(() => w.engine.snapshot().plans.find((p) => p.projectId === w.ids.alpha)?.status === 'done', 'alpha change seen');
      await settled(w, client);
      expect(client.events.filter((e) => projectOf(e) === w.ids.alpha)).toEqual([]);
      expect(client.events.some((e) => projectOf(e) === null)).toBe(true);

      expect((await client.request('subscribe', { projects: 'all' })).ok).toBe(true);
      await writeTasks(w.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'pending' }]);
      await until(() => client.events.some((e) => e.type === 'item:status' && projectOf(e) === w.ids.alpha), 'alpha after subscribing to all');
    });
  });

  describe('resync', () => {
    test('from the past: exactly the events between that seq and the hello', async () => {
      const w = await world();
      await publish(w, 5);
      const client = await w.connect();
      const reply = await client.request('resync', { sinceSeq: client.hello.seq - 3 });
      if (!reply.ok || !('events' in reply.data)) throw new Error(`expected events, got ${JSON.stringify(reply)}`);
      expectConsecutive(
        reply.data.events.map((e) => e.seq),
        client.hello.seq - 2,
      );
      expect(reply.data.events.at(-1)!.seq).toBe(client.hello.seq);
    });

    test('from the current seq: nothing', async () => {
      const w = await world();
      const client = await w.connect();
      expect(await client.request('resync', { sinceSeq: client.hello.seq })).toEqual({ ok: true, data: { events: [] } });
    });

    test('from further back than the ring holds: a fresh hello', async () => {
      const w = await world({ engine: { hub: { ringSize: 3 } } });
      await publish(w, 5);
      const client = await w.connect();
      const reply = await client.request('resync', { sinceSeq: 0 });
      if (!reply.ok || !('hello' in reply.data)) throw new Error(`expected a hello, got ${JSON.stringify(reply)}`);
      expect(reply.data.hello.seq).toBe(w.engine.hub.seq);
      expect(reply.data.hello.snapshot.plans).toHaveLength(1);
    });

    test('from the future (a server restart): a fresh hello, and live events carry on after it', async () => {
      const w = await world();
      const client = await w.connect();
      await publish(w, 3);
      const reply = await client.request('resync', { sinceSeq: client.hello.seq + 1000 });
      if (!reply.ok || !('hello' in reply.data)) throw new Error(`expected a hello, got ${JSON.stringify(reply)}`);
      const fresh = reply.data.hello;
      expect(fresh.seq).toBe(w.engine.hub.seq);
      const before = client.events.length;
      await settled(w, client);
      expectConsecutive(client.seqs.slice(before), fresh.seq + 1);
    });

    test('a second fresh hello within the interval is rate_limited, then allowed again', async () => {
      const w = await world({ freshHelloIntervalMs: 400 });
      const client = await w.connect();
      const ahead = (): number => w.engine.hub.seq + 1000;
      expect((await client.request('resync', { sinceSeq: ahead() })).ok).toBe(true);
      const limited = await client.request('resync', { sinceSeq: ahead() });
      expect(limited).toMatchObject({ ok: false, error: { event: 'resync', code: 'rate_limited' } });
      expect(limited.ok ? '' : limited.error.message).toMatch(/ask again in \d+ ms/);
      // Cheap resyncs are not limited by it.
      expect(await client.request('resync', { sinceSeq: w.engine.hub.seq })).toEqual({ ok: true, data: { events: [] } });
      await until(async () => (await client.request('resync', { sinceSeq: ahead() })).ok, 'a fresh hello once the interval passed');
    });
  });

  describe('requests', () => {
    test('malformed, unknown and oversized requests get error replies, and the client is still served', async () => {
      const w = await world();
      const client = await w.connect();
      const alpha = w.ids.alpha!;
      expect(await client.rawRequest('subscribe', { projects: 5 })).toMatchObject({ ok: false, error: { event: 'subscribe', code: 'invalid' } });
      expect(await client.rawRequest('subscribe', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.rawRequest('resync', { sinceSeq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.rawRequest('resync', { sinceSeq: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.rawRequest('project:add', { root: 42 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.rawRequest('launch:missiles', {})).toMatchObject({ ok: false, error: { event: 'launch:missiles', code: 'unknown' } });
      const tooManyLogs = Array.from({ length: LIMITS.maxLogSubscriptions + 1 }, (_, i) => ({ projectId: alpha, path: `${i}.log` }));
      expect(await client.rawRequest('subscribe', { projects: 'all', logs: tooManyLogs })).toMatchObject({ ok: false, error: { code: 'too_large' } });
      const longPath = 'a/'.repeat(LIMITS.maxPathLength);
      expect(await client.rawRequest('subscribe', { projects: 'all', logs: [{ projectId: alpha, path: longPath }] })).toMatchObject({
        ok: false,
        error: { code: 'too_large' },
      });
      expect(await client.request('resync', { sinceSeq: client.hello.seq })).toEqual({ ok: true, data: { events: [] } });
    });

    test('every request refuses a payload that is not its own, by name, and changes nothing', async () => {
      const w = await world();
      const client = await w.connect();
      for (const name of REQUEST_NAMES) {
        expect(await client.rawRequest(name, { bogus: true }), name).toMatchObject({ ok: false, error: { event: name, code: 'invalid' } });
      }
      expect(w.engine.running).toBe(true);
      expect(w.engine.projects().map((p) => p.id)).toEqual([w.ids.alpha]);
    });

    test('engine errors come back as codes a client can act on', async () => {
      const w = await world();
      const client = await w.connect();
      const missing = join(w.base, 'missing');
      expect(await client.request('project:remove', { projectId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('project:pause', { projectId: 'nope', paused: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('refresh', { projectId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('project:add', { root: missing })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('projects:discover', { folder: missing })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      await writeFile(join(w.base, 'a-file'), 'not a folder');
      expect(await client.request('project:add', { root: join(w.base, 'a-file') })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    });

    test('the history requests read the journal with a read scope, and refuse what they cannot answer', async () => {
      const dir = tempDir('vigil-contract-history-');
      const history = History.open({ dir: dir.path });
      const w = await world({ engine: { history }, history });
      const client = await w.connect();
      await writeTasks(w.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
      await until(() => client.events.some((e) => e.type === 'item:status'), 'the transition');
      const page = await client.request('history:query', { types: ['item:status'] });
      expect(page.ok && page.data.events.map((e) => e.type)).toEqual(['item:status']);
      expect(await client.request('history:digest', { sinceSeq: 0 })).toMatchObject({ ok: true, data: { entries: [{ what: 'finished', title: 'alpha first task' }] } });
      expect(await client.request('history:burnup', {})).toMatchObject({ ok: true, data: { series: [{ projectId: w.ids.alpha }] } });
      expect(await client.request('history:throughput', { bucket: 'hour' })).toMatchObject({ ok: true, data: { buckets: expect.any(Array) } });
      expect(await client.rawRequest('history:query', { projectId: w.ids.alpha, itemId: 'x', types: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      await w.close();
      await history.close();
      dir.remove();
    });

    test('the history requests without a journal answer failed, with why', async () => {
      const w = await world();
      const client = await w.connect();
      expect(await client.request('history:query', {})).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringContaining('no history') } });
    });

    test('demo:start without a demo to start answers failed, with what to do', async () => {
      const w = await world();
      const client = await w.connect();
      const reply = await client.request('demo:start', {});
      expect(reply).toMatchObject({ ok: false, error: { event: 'demo:start', code: 'failed' } });
      expect(reply.ok ? '' : reply.error.message).toMatch(/vigil demo/);
    });

    test('demo:start runs the demo starter it was given', async () => {
      const w = await world({ startDemo: async () => ({ projectIds: ['demo-1'] }) });
      const client = await w.connect();
      expect(await client.request('demo:start', {})).toEqual({ ok: true, data: { projectIds: ['demo-1'] } });
    });

    test('commands reach the engine and their effects arrive as events', async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      const client = await w.connect();
      expect(await client.request('refresh', {})).toEqual({ ok: true, data: {} });
      expect(await client.request('engine:stop', {})).toEqual({ ok: true, data: {} });
      expect(w.engine.running).toBe(false);
      await until(() => client.events.some((e) => e.type === 'engine:state' && !e.payload.running), 'engine:state event');
      expect(await client.request('engine:start', {})).toEqual({ ok: true, data: {} });
      expect(await client.request('project:pause', { projectId: w.ids.beta!, paused: true })).toEqual({ ok: true, data: {} });
      expect(await client.request('project:remove', { projectId: w.ids.beta! })).toEqual({ ok: true, data: {} });
      await until(() => client.events.some((e) => e.type === 'project:removed'), 'project:removed');
      expect(w.engine.projects().map((p) => p.id)).toEqual([w.ids.alpha]);
      expect(await client.request('project:add', { root: w.dirs.beta! })).toEqual({ ok: true, data: { projectId: w.ids.beta } });
      const discovered = await client.request('projects:discover', { folder: w.base });
      if (!discovered.ok) throw new Error(discovered.error.message);
      expect(discovered.data.candidates.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    });
  });

  describe('logs', () => {
    test('a subscribed log sends its backlog, then new lines; unsubscribing stops them', async () => {
      const w = await world();
      await writeFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\ntwo\n');
      const client = await w.connect();
      const ref = { projectId: w.ids.alpha!, path: '.taskmaster/agent.log' };
      expect(await client.request('subscribe', { projects: 'all', logs: [ref] })).toEqual({ ok: true, data: { projects: [w.ids.alpha], logs: [ref] } });
      await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'two')), 'the backlog');
      await appendFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'three\n');
      await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'three')), 'the new line');
      expect(client.logs.every((m) => m.projectId === ref.projectId && m.path === ref.path)).toBe(true);

      expect((await client.request('subscribe', { projects: 'all', logs: [] })).ok).toBe(true);
      const before = client.logs.length;
      await appendFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'four\n');
      // A later file change proves the engine had time to see the log change.
      await writeTasks(w.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
      await until(() => client.events.some((e) => e.type === 'item:status'), 'a later event');
      await settled(w, client);
      expect(client.logs.length).toBe(before);
    });

    test('paths that climb out, absolute paths and symlinks leading out are forbidden; unknown projects are not found', async () => {
      const w = await world();
      await writeFile(join(w.base, 'secret.log'), 'the password\n');
      await symlink(join(w.base, 'secret.log'), join(w.dirs.alpha!, 'escape.log'));
      const client = await w.connect();
      const alpha = w.ids.alpha!;
      for (const path of ['../secret.log', 'sub/../../secret.log', join(w.base, 'secret.log'), '..\\secret.log', 'escape.log']) {
        const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: alpha, path }] });
        expect(reply.ok ? 'ok' : reply.error.code, path).toBe('forbidden');
      }
      const unknown = await client.request('subscribe', { projects: 'all', logs: [{ projectId: 'nope', path: '.taskmaster/agent.log' }] });
      expect(unknown.ok ? 'ok' : unknown.error.code).toBe('not_found');
      await settled(w, client);
      expect(client.logs.flatMap((m) => m.lines.map((l) => l.text))).not.toContain('the password');
    });

    test('a refused subscribe leaves the earlier subscription as it was', async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      await writeFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\n');
      const client = await w.connect();
      await client.request('subscribe', { projects: [w.ids.alpha!], logs: [{ projectId: w.ids.alpha!, path: '.taskmaster/agent.log' }] });
      expect((await client.request('subscribe', { projects: 'all', logs: [{ projectId: w.ids.alpha!, path: '../x.log' }] })).ok).toBe(false);
      await appendFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'two\n');
      await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'two')), 'the log still followed');
      await writeTasks(w.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'done' }]);
      await until(() => w.engine.snapshot().plans.some((p) => p.projectId === w.ids.beta && p.status === 'done'), 'the beta change');
      await settled(w, client);
      expect(client.events.filter((e) => projectOf(e) === w.ids.beta)).toEqual([]);
    });

    test('overlapping subscribes apply in the order they were sent: the last one wins', async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      await writeFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\n');
      const client = await w.connect();
      const ref = { projectId: w.ids.alpha!, path: '.taskmaster/agent.log' };
      // The first one opens a log (slow); the second, sent before the first is answered, opens none.
      const first = client.request('subscribe', { projects: [w.ids.alpha!], logs: [ref] });
      const second = client.request('subscribe', { projects: 'all', logs: [] });
      expect((await first).ok).toBe(true);
      expect(await second).toMatchObject({ ok: true, data: { logs: [] } });
      // The second subscription holds: every project, no log.
      const linesBefore = client.logs.flatMap((m) => m.lines).length;
      await appendFile(join(w.dirs.alpha!, '.taskmaster', 'agent.log'), 'two\n');
      await writeTasks(w.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'done' }]);
      await until(() => client.events.some((e) => e.type === 'item:status' && projectOf(e) === w.ids.beta), 'a beta event');
      await settled(w, client);
      expect(client.logs.flatMap((m) => m.lines).length).toBe(linesBefore);
    });
  });

  describe('runs', () => {
    test('run:start on an item: the run events, its log by run id to the sentinel, who started it, runs:list', async () => {
      const w = await world({ actions: ACTIONS });
      const client = await w.connect();
      const listed = await client.request('actions:list', { projectId: w.ids.alpha!, itemId: 'taskmaster:master:1' });
      expect(listed.ok && listed.data.actions.map((a) => a.id)).toEqual(['echo']);
      const started = await client.request('run:start', { projectId: w.ids.alpha!, action: 'echo', itemId: 'taskmaster:master:1' });
      if (!started.ok) throw new Error(started.error.message);
      const runId = started.data.run.id;
      expect(started.data.run.startedBy).toBe(w.starter);
      expect((await client.request('subscribe', { projects: 'all', logs: [{ runId }] })).ok).toBe(true);
      const done = await until(() => runIn(client, 'run:succeeded', runId), 'run:succeeded');
      expect(done.exitCode).toBe(0);
      expect(runIn(client, 'run:queued', runId)).toBeDefined();
      expect(runIn(client, 'run:started', runId)).toBeDefined();
      const texts = await until(() => {
        const lines = client.logs.filter((m) => m.runId === runId).flatMap((m) => m.lines.map((l) => l.text));
        return lines.some((t) => t.startsWith('=== Run Complete === exit=0')) ? lines : null;
      }, 'the sentinel');
      expect(texts.some((t) => t.endsWith('"alpha first task"'))).toBe(true);
      const runs = await client.request('runs:list', { projectId: w.ids.alpha! });
      expect(runs.ok && runs.data.runs.map((r) => r.id)).toEqual([runId]);
    });

    test('cancel, retry, a batch, and the refusals a client can act on', async () => {
      const w = await world({ actions: ACTIONS });
      const client = await w.connect();
      const alpha = w.ids.alpha!;
      const started = await client.request('run:start', { projectId: alpha, action: 'hang' });
      if (!started.ok) throw new Error(started.error.message);
      const runId = started.data.run.id;
      await until(() => runIn(client, 'run:started', runId), 'run:started');
      expect((await client.request('run:cancel', { runId })).ok).toBe(true);
      await until(() => runIn(client, 'run:cancelled', runId), 'run:cancelled');
      const retried = await client.request('run:retry', { runId });
      expect(retried).toMatchObject({ ok: true, data: { run: { attempt: 2, retryOf: runId } } });
      if (retried.ok) expect((await client.request('run:cancel', { runId: retried.data.run.id })).ok).toBe(true);

      const batch = await client.request('batch:start', { projectId: alpha, action: 'echo', items: { next: 1 }, concurrency: 1, stopOnFailure: true });
      if (!batch.ok) throw new Error(batch.error.message);
      const end = await until(() => client.events.find((e) => e.type === 'batch:end' && e.payload.batch_id === batch.data.batch.id), 'batch:end');
      expect(end.payload).toMatchObject({ status: 'completed', cycles_completed: 1 });

      expect(await client.request('run:start', { projectId: alpha, action: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('run:start', { projectId: 'nope', action: 'echo' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('run:start', { projectId: alpha, action: 'echo' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.request('run:cancel', { runId: 'r_nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.request('batch:stop', { batchId: 'b_nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await client.rawRequest('run:start', { projectId: alpha, action: 'hang', argv: ['sh', '-c', 'id'] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(await client.request('subscribe', { projects: 'all', logs: [{ runId: 'r_nope' }] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    test('without runs, the run requests answer failed and say why', async () => {
      const w = await world();
      const client = await w.connect();
      const reply = await client.request('runs:list', {});
      expect(reply).toMatchObject({ ok: false, error: { event: 'runs:list', code: 'failed' } });
    });
  });

  describe('agent sessions', () => {
    const notification = (cwd: string, session: string) => ({
      agent: 'claude',
      payload: { session_id: session, cwd, hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' },
    });

    test('sessions come in the hello, and a hook post arrives as agent events', async () => {
      const w = await world({ projects: ['alpha'] });
      const cwd = await realpath(w.dirs.alpha!);
      expect((await w.engine.agents.receive(notification(cwd, 'before'))).ok).toBe(true);
      const client = await w.connect();
      expect(client.hello.snapshot.agents).toEqual([expect.objectContaining({ id: 'claude:before', projectId: w.ids.alpha, state: 'needs-input' })]);
      expect((await w.engine.agents.receive(notification(cwd, 's1'))).ok).toBe(true);
      const waiting = await until(() => client.events.find((e) => e.type === 'agent:needs-input'), 'agent:needs-input');
      expect(waiting.payload).toMatchObject({ session: { id: 'claude:s1', projectId: w.ids.alpha, state: 'needs-input' } });
      expect(client.events.filter((e) => e.type.startsWith('agent:')).map((e) => e.type)).toEqual(['agent:started', 'agent:needs-input']);
    });

    test("subscribed to one project, a client gets that project's sessions and those in no project, not another's", async () => {
      const w = await world({ projects: ['alpha', 'beta'] });
      const client = await w.connect();
      expect((await client.request('subscribe', { projects: [w.ids.beta!] })).ok).toBe(true);
      await w.engine.agents.receive(notification(await realpath(w.dirs.alpha!), 'in-alpha'));
      await w.engine.agents.receive(notification(await realpath(w.dirs.beta!), 'in-beta'));
      await w.engine.agents.receive(notification(w.base, 'nowhere'));
      await until(() => client.events.some((e) => e.type === 'agent:needs-input' && (e.payload as { session: { id: string } }).session.id === 'claude:nowhere'), 'the session in no project');
      await settled(w, client);
      const ids = new Set(client.events.filter((e) => e.type.startsWith('agent:')).map((e) => (e.payload as { session: { id: string } }).session.id));
      expect([...ids].sort()).toEqual(['claude:in-beta', 'claude:nowhere']);
    });
  });
});
