// The protocol of DESIGN.md §5 for the one Electron window: `hello` on connect, batched
// `events` from the hub, `heartbeat` and subscribed `log` lines pushed, requests answered.
// Electron-free: the shell gives it a `push` function bound to our window's webContents.
import type { Project } from '../../shared/model';
import {
  PROTOCOL_VERSION,
  parseRequest,
  type Hello,
  type Reply,
  type RequestName,
  type RequestPayload,
  type RequestResults,
  type LogRefPayload,
  type ServerEvents,
} from '../../shared/protocol';
import type { Disposable, EngineApi, LogSubscription } from '../engine/api';
import type { Runs } from '../runs/runs';
import { applyFilter, type ProjectFilter } from '../server/project-filter';
import { fail, ok, replyFrom } from './replies';

export type Push = <E extends keyof ServerEvents>(event: E, ...args: Parameters<ServerEvents[E]>) => void;

export interface WindowSessionOptions {
  /** `demo:start`: create the demo workspace and add its projects; absent when not offered. */
  startDemo?: () => Promise<{ projectIds: string[] }>;
  /** Where problems go (a log line, never a crash). */
  log?: (message: string) => void;
  /** Runs of actions; the window's runs are recorded as started by "desktop". */
  runs?: Runs;
}

/** Who the window's runs are recorded as started by. */
export const DESKTOP_STARTER = 'desktop';

export interface WindowSession {
  /** A fresh hello; from then on events after its `seq` are pushed. Calling again (a reload) starts over. */
  hello(): Hello;
  /** Parse and serve one request; never throws. */
  request<R extends RequestName>(name: R, payload: unknown): Promise<Reply<RequestResults[R]>>;
  dispose(): void;
}

const RECENT_EVENTS = 50;

const logKey = (ref: LogRefPayload): string => ('runId' in ref ? `run\0${ref.runId}` : `${ref.projectId}\0${ref.path}`);

export function createWindowSession(engine: EngineApi, push: Push, options: WindowSessionOptions = {}): WindowSession {
  const log = options.log ?? (() => undefined);
  let projectFilter: ProjectFilter = 'all';
  /** Events at or below this seq were in the last hello. */
  let helloSeq = -1;
  let connected = false;
  let sink: Disposable | null = null;
  let heartbeat: Disposable | null = null;
  const logs = new Map<string, LogSubscription>();
  let disposed = false;

  const buildHello = (): Hello => {
    const snapshot = engine.snapshot();
    helloSeq = snapshot.seq;
    return {
      protocol: PROTOCOL_VERSION,
      serverTime: Date.now(),
      seq: snapshot.seq,
      snapshot,
      recent: engine.hub.recent(RECENT_EVENTS).filter((e) => e.seq <= snapshot.seq),
    };
  };

  const connect = (): void => {
    if (connected || disposed) return;
    connected = true;
    sink = engine.hub.addSink({
      deliver: (batch) => {
        const fresh = applyFilter(
          batch.filter((e) => e.seq > helloSeq),
          projectFilter,
        );
        if (fresh.length > 0) push('events', fresh);
      },
      // The window fell too far behind: it gets the whole picture again.
      overflow: () => push('hello', buildHello()),
    });
    heartbeat = engine.onHeartbeat((beat) => push('heartbeat', beat));
  };

  const closeLogs = (keep: Set<string> = new Set()): void => {
    for (const [key, sub] of logs) {
      if (keep.has(key)) continue;
      sub.dispose();
      logs.delete(key);
    }
  };

  /** Logs first, as the socket.io server does: if one is refused, the subscription stays as it was. */
  async function subscribe(payload: RequestPayload<'subscribe'>): Promise<Reply<RequestResults['subscribe']>> {
    const requested = payload.logs ?? [];
    const added = new Map<string, LogSubscription>();
    for (const ref of requested) {
      const key = logKey(ref);
      if (logs.has(key) || added.has(key)) continue;
      try {
        const listener = (msg: Parameters<ServerEvents['log']>[0]): void => push('log', msg);
        if ('runId' in ref) {
          if (!options.runs) throw Object.assign(new Error('Runs are not available here.'), { code: 'not_found' });
          added.set(key, await options.runs.subscribeLog(ref.runId, listener));
        } else {
          added.set(key, await engine.subscribeLog(ref.projectId, ref.path, listener));
        }
      } catch (err) {
        for (const sub of added.values()) sub.dispose();
        return replyFrom<never>('subscribe', () => {
          throw err;
        });
      }
    }
    if (disposed) {
      for (const sub of added.values()) sub.dispose();
      return fail('subscribe', 'failed', 'Vigil is shutting down.');
    }
    closeLogs(new Set(requested.map(logKey)));
    for (const [key, sub] of added) {
      logs.set(key, sub);
      if (sub.backlog.lines.length > 0 || sub.backlog.reset) push('log', sub.backlog);
    }
    projectFilter = payload.projects === 'all' ? 'all' : new Set(payload.projects);
    return ok({
      projects: payload.projects === 'all' ? engine.projects().map((p: Project) => p.id) : [...new Set(payload.projects)],
      logs: requested.filter((l, i) => requested.findIndex((o) => logKey(o) === logKey(l)) === i),
    });
  }

  async function serve<R extends RequestName>(name: R, payload: RequestPayload<R>): Promise<Reply<RequestResults[R]>> {
    // Each branch returns the result type of its own request; TypeScript cannot narrow R by `name`.
    type Out = Reply<RequestResults[R]>;
    switch (name) {
      case 'subscribe':
        return (await subscribe(payload as RequestPayload<'subscribe'>)) as Out;
      case 'resync': {
        const { sinceSeq } = payload as RequestPayload<'resync'>;
        const missed = engine.hub.since(sinceSeq);
        return ok(missed ? { events: applyFilter(missed, projectFilter) } : { hello: buildHello() }) as Out;
      }
      case 'project:add': {
        const { root } = payload as RequestPayload<'project:add'>;
        return (await replyFrom(name, async () => ({ projectId: (await engine.addProject(root)).id }))) as Out;
      }
      case 'project:remove': {
        const { projectId } = payload as RequestPayload<'project:remove'>;
        return (await replyFrom(name, async () => (await engine.removeProject(projectId), {}))) as Out;
      }
      case 'project:pause': {
        const { projectId, paused } = payload as RequestPayload<'project:pause'>;
        return (await replyFrom(name, async () => (await engine.pauseProject(projectId, paused), {}))) as Out;
      }
      case 'engine:start':
      case 'engine:stop':
        return (await replyFrom(name, async () => (await engine.setRunning(name === 'engine:start'), {}))) as Out;
      case 'refresh': {
        const { projectId } = payload as RequestPayload<'refresh'>;
        return (await replyFrom(name, async () => (await engine.refresh(projectId), {}))) as Out;
      }
      case 'projects:discover': {
        const { folder } = payload as RequestPayload<'projects:discover'>;
        return (await replyFrom(name, async () => ({ candidates: await engine.discover(folder) }))) as Out;
      }
      case 'demo:start': {
        const startDemo = options.startDemo;
        if (!startDemo) return fail(name, 'unknown', 'The demo workspace is not available in this build.') as Out;
        return (await replyFrom(name, startDemo)) as Out;
      }
      case 'run:start':
      case 'run:cancel':
      case 'run:retry':
      case 'batch:start':
      case 'batch:stop':
      case 'runs:list':
      case 'actions:list': {
        const runs = options.runs;
        if (!runs) return fail(name, 'failed', 'Runs are not available in this window.') as Out;
        return (await replyFrom(name, () => serveRun(runs, name, payload))) as Out;
      }
      default:
        return fail(name, 'unknown', `Unknown request ${String(name)}`) as Out;
    }
  }

  /** The run requests, for the window's own user. */
  async function serveRun(runs: Runs, name: RequestName, payload: unknown): Promise<unknown> {
    switch (name) {
      case 'run:start':
        return { run: await runs.start(payload as RequestPayload<'run:start'>, DESKTOP_STARTER) };
      case 'run:cancel':
        return { run: runs.cancel((payload as RequestPayload<'run:cancel'>).runId, DESKTOP_STARTER) };
      case 'run:retry':
        return { run: await runs.retry((payload as RequestPayload<'run:retry'>).runId, DESKTOP_STARTER) };
      case 'batch:start':
        return { batch: await runs.startBatch(payload as RequestPayload<'batch:start'>, DESKTOP_STARTER) };
      case 'batch:stop':
        return { batch: runs.stopBatch((payload as RequestPayload<'batch:stop'>).batchId, DESKTOP_STARTER) };
      case 'runs:list':
        return { runs: await runs.list(payload as RequestPayload<'runs:list'>) };
      default:
        return runs.actions(payload as RequestPayload<'actions:list'>);
    }
  }

  return {
    hello() {
      const hello = buildHello();
      connect();
      return hello;
    },
    async request(name, raw) {
      if (disposed) return fail(name, 'failed', 'Vigil is shutting down.');
      const parsed = parseRequest(name, raw);
      if (!parsed.ok) {
        log(parsed.error.message);
        return parsed;
      }
      try {
        return await serve(name, parsed.value);
      } catch (err) {
        return fail(name, 'failed', err instanceof Error ? err.message : String(err));
      }
    },
    dispose() {
      disposed = true;
      sink?.dispose();
      heartbeat?.dispose();
      closeLogs();
    },
  };
}
