import { describe, expect, test } from 'vitest';
import { createAppStore } from '../../renderer/store/app-store';
import { itemKey } from '../../renderer/store/keys';
import { startLiveSync } from '../../renderer/store/live-sync';
import { Emitter } from '../../renderer/transport/emitter';
import type { Transport, TransportEvents } from '../../renderer/transport/transport';
import type { Hello, RequestApi, RequestName } from '../../shared/protocol';
import { hello, plan, planUpdated, project } from './fixtures';

/** A transport the test drives by hand, recording the requests the sync makes. */
function fakeTransport(answers: Partial<Record<RequestName, (payload: unknown) => unknown>> = {}, snapshot?: () => Hello, scope: 'read' | 'control' = 'control') {
  const emitter = new Emitter<TransportEvents>();
  const sent: { name: string; payload: unknown }[] = [];
  let retries = 0;
  let accessAsked = 0;
  const requests = new Proxy({} as RequestApi, {
    get: (_t, name: string) => async (payload: unknown) => {
      sent.push({ name, payload });
      const answer = answers[name as RequestName];
      // Unanswered requests get the server's empty reply: resync with no missed events.
      return answer ? answer(payload) : { ok: true, data: name === 'resync' ? { events: [] } : {} };
    },
  });
  const transport: Transport = {
    kind: 'socket',
    endpoint: 'fake',
    connect: () => emitter.emit('connection', { status: 'connecting', reason: null, nextRetryAt: null, fatal: false }),
    retry: () => void (retries += 1),
    close: () => emitter.clear(),
    requests,
    snapshot: async () => {
      sent.push({ name: 'snapshot', payload: null });
      return snapshot ? { ok: true, data: snapshot() } : { ok: false, error: { event: 'hello', code: 'failed', message: 'no snapshot' } };
    },
    access: async () => {
      accessAsked += 1;
      return { ok: true, data: scope };
    },
    on: (event, listener) => emitter.on(event, listener),
  };
  return { transport, emitter, sent, retries: () => retries, accessAsked: () => accessAsked };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const noTimer = { setInterval: () => 0, clearInterval: () => {} };
const connected = { status: 'connected' as const, reason: null, nextRetryAt: null, fatal: false };
const dropped = { status: 'disconnected' as const, reason: 'gone', nextRetryAt: 1, fatal: false };
const a1 = plan('pa', 'a1');

describe('live sync', () => {
  test('a gap in seq triggers one resync from the last applied seq, whose events fill the hole', async () => {
    const fake = fakeTransport({
      resync: () => ({ ok: true, data: { events: [planUpdated(6, { ...a1, title: 'six' }), planUpdated(7, { ...a1, title: 'seven' })] } }),
    });
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(5, { projects: [project('pa')], plans: [a1] }));
    fake.emitter.emit('events', [planUpdated(7, { ...a1, title: 'seven' })]);
    await flush();
    const resyncs = fake.sent.filter((r) => r.name === 'resync').map((r) => r.payload);
    // The first round trip after the hello and the gap share one request from seq 5; the
    // follow-up round asks from where the model now stands.
    expect(resyncs[0]).toEqual({ sinceSeq: 5 });
    expect(resyncs.slice(1)).toEqual(resyncs.slice(1).map(() => ({ sinceSeq: 7 })));
    expect(store.getState().lastSeq).toBe(7);
    expect(store.getState().plans.get(itemKey('pa', 'a1'))!.title).toBe('seven');
    sync.dispose();
  });

  test('after a reconnect it resubscribes and resyncs from the last seq', async () => {
    const fake = fakeTransport({ resync: () => ({ ok: true, data: { events: [] } }) });
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(9, { projects: [project('pa')] }));
    await flush();
    fake.sent.length = 0;
    fake.emitter.emit('connection', dropped);
    expect(store.getState().connection.status).toBe('disconnected');
    expect(store.getState().connection.downSince).not.toBeNull();
    fake.emitter.emit('connection', connected);
    await flush();
    expect(fake.sent.map((r) => r.name)).toEqual(['subscribe', 'resync']);
    expect(fake.sent[1]!.payload).toEqual({ sinceSeq: 9 });
    expect(store.getState().connection).toMatchObject({ status: 'connected', downSince: null, reconnects: 1 });
    expect(store.getState().connection.rttMs).not.toBeNull();
    sync.dispose();
  });

  test('the first hello is followed at once by a round trip that measures the rtt', async () => {
    const fake = fakeTransport({ resync: () => ({ ok: true, data: { events: [] } }) });
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(3));
    await flush();
    expect(fake.sent.map((r) => r.name)).toEqual(['subscribe', 'resync']);
    expect(store.getState().connection.rttMs).not.toBeNull();
    sync.dispose();
  });

  test('a resync answered with a hello replaces the model', async () => {
    const fake = fakeTransport({ resync: () => ({ ok: true, data: { hello: hello(40, { projects: [project('pb')] }) } }) });
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(5, { projects: [project('pa')] }));
    await sync.refresh();
    expect(store.getState().lastSeq).toBe(40);
    expect(Object.keys(store.getState().projects)).toEqual(['pb']);
    sync.dispose();
  });

  test('what the link may do is asked once connected, and a refusal for another reason does not change it', async () => {
    const fake = fakeTransport(
      { 'project:add': () => ({ ok: false, error: { event: 'project:add', code: 'forbidden', message: 'Cannot add /x: permission denied' } }) },
      undefined,
      'read',
    );
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    expect(store.getState().access).toBe(null);
    fake.emitter.emit('connection', connected);
    await flush();
    expect(store.getState().access).toBe('read');
    expect(fake.accessAsked()).toBe(1);
    sync.dispose();

    const controlFake = fakeTransport(
      { 'project:add': () => ({ ok: false, error: { event: 'project:add', code: 'forbidden', message: 'Cannot add /x: permission denied' } }) },
    );
    const controlStore = createAppStore();
    const controlSync = startLiveSync(controlFake.transport, controlStore, noTimer);
    controlFake.emitter.emit('connection', connected);
    await flush();
    const reply = await controlSync.request('project:add', { root: '/x' });
    expect(reply.ok).toBe(false);
    // A folder this server may not read says nothing about the token.
    expect(controlStore.getState().access).toBe('control');
    controlSync.dispose();
  });

  test('the log panel and an item detail follow their logs side by side; a log is dropped only when nobody follows it', async () => {
    const fake = fakeTransport();
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    const log = { projectId: 'pa', path: 'coderef/workorder-log.txt' };
    const other = { projectId: 'pa', path: 'other.log' };
    await sync.followLog(log, 'panel');
    await sync.followLog(log, 'detail');
    await sync.followLog(other, 'panel');
    const subs = fake.sent.filter((r) => r.name === 'subscribe').map((r) => r.payload);
    expect(subs[subs.length - 1]).toEqual({ projects: 'all', logs: expect.arrayContaining([log, other]) });
    expect((subs[subs.length - 1] as { logs: unknown[] }).logs).toHaveLength(2);
    fake.emitter.emit('log', { ...log, lines: [{ n: 1, text: 'WO-1 started' }] });
    await sync.followLog(null, 'panel');
    expect(Object.keys(store.getState().logs)).toEqual(['pa/coderef/workorder-log.txt']);
    await sync.followLog(null, 'detail');
    expect(store.getState().logs).toEqual({});
    expect(fake.sent.filter((r) => r.name === 'subscribe').pop()!.payload).toEqual({ projects: 'all', logs: [] });
    sync.dispose();
  });

  test('following a log subscribes to it, and a reconnect subscribes to it again', async () => {
    const fake = fakeTransport();
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    await sync.followLog({ projectId: 'pa', path: 'coderef/workorder-log.txt' });
    fake.emitter.emit('connection', dropped);
    fake.emitter.emit('connection', connected);
    const subs = fake.sent.filter((r) => r.name === 'subscribe').map((r) => r.payload);
    expect(subs.at(-1)).toEqual({ projects: 'all', logs: [{ projectId: 'pa', path: 'coderef/workorder-log.txt' }] });
    fake.emitter.emit('log', { projectId: 'pa', path: 'coderef/workorder-log.txt', lines: [{ n: 1, text: 'a' }, { n: 2, text: 'b' }] });
    // The backlog sent again after the resubscribe does not duplicate lines.
    fake.emitter.emit('log', { projectId: 'pa', path: 'coderef/workorder-log.txt', lines: [{ n: 1, text: 'a' }, { n: 2, text: 'b' }, { n: 3, text: 'c' }] });
    expect(Object.values(store.getState().logs)[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    sync.dispose();
  });

  test('the refresh button asks the transport for a whole new snapshot', async () => {
    const fake = fakeTransport({}, () => hello(77, { projects: [project('pz')] }));
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(5, { projects: [project('pa')] }));
    await sync.refresh(true);
    expect(store.getState().lastSeq).toBe(77);
    expect(Object.keys(store.getState().projects)).toEqual(['pz']);
    sync.dispose();
  });

  test('a snapshot asked for too soon (rate_limited) is asked for again later, without an error shown', async () => {
    const fake = fakeTransport({}, () => hello(77, { projects: [project('pz')] }));
    let limited = true;
    const snapshot = fake.transport.snapshot;
    fake.transport.snapshot = async () => {
      if (!limited) return snapshot();
      fake.sent.push({ name: 'snapshot', payload: null });
      return { ok: false, error: { event: 'resync', code: 'rate_limited', message: 'ask again in 2000 ms' } };
    };
    const timers: { fn: () => void; ms: number }[] = [];
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, { ...noTimer, setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => {} });
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(5, { projects: [project('pa')] }));
    await sync.refresh(true);
    expect(store.getState().syncError).toBeNull();
    expect(timers.map((t) => t.ms)).toEqual([3000]);
    // A second refresh while one waits does not stack another timer.
    await sync.refresh(true);
    expect(timers).toHaveLength(1);
    limited = false;
    timers[0]!.fn();
    await flush();
    expect(store.getState().lastSeq).toBe(77);
    expect(fake.sent.filter((r) => r.name === 'snapshot')).toHaveLength(3);
    sync.dispose();
  });

  test('a resync reply that itself has a hole falls back to a snapshot', async () => {
    const fake = fakeTransport({ resync: () => ({ ok: true, data: { events: [planUpdated(9, a1)] } }) }, () => hello(20));
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', connected);
    fake.emitter.emit('hello', hello(5, { projects: [project('pa')] }));
    await flush();
    await flush();
    expect(fake.sent.map((r) => r.name)).toContain('snapshot');
    expect(store.getState().lastSeq).toBe(20);
    sync.dispose();
  });

  test('refresh while the link is down asks the transport to retry now', async () => {
    const fake = fakeTransport();
    const store = createAppStore();
    const sync = startLiveSync(fake.transport, store, noTimer);
    fake.emitter.emit('connection', dropped);
    await sync.refresh();
    expect(fake.retries()).toBe(1);
    sync.dispose();
  });
});
