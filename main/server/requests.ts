// What each client request does, and the one function that turns any message into a reply:
// scope check, validation, the handler, and every failure as a RequestError. Never throws.
import {
  CONTROL_REQUESTS,
  RequestSchemas,
  parseRequest,
  type Reply,
  type RequestName,
  type RequestPayload,
  type RequestResults,
} from '../../shared/protocol';
import type { EngineApi } from '../engine/api';
import { starterOf, type Runs } from '../runs/runs';
import type { EventFanout, VigilSocket } from './fanout';
import type { LogFollows } from './log-follows';
import { RequestFailure, classifyEngineError } from './request-failure';

/** Creates the demo workspace; the `vigil demo` command passes one in. */
export type DemoStarter = () => Promise<{ projectIds: string[] }>;

export interface RequestContext {
  engine: EngineApi;
  fanout: EventFanout;
  socket: VigilSocket;
  logs: LogFollows;
  startDemo?: DemoStarter;
  /** Runs of actions; without it the run requests answer `failed`. */
  runs?: Runs;
}

function runsOf(ctx: RequestContext): Runs {
  if (!ctx.runs) throw new RequestFailure('failed', 'This server does not run actions.');
  return ctx.runs;
}

type Handlers = {
  [R in RequestName]: (payload: RequestPayload<R>, ctx: RequestContext) => Promise<RequestResults[R]>;
};

const engineCall = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (err) {
    throw classifyEngineError(err);
  }
};

const HANDLERS: Handlers = {
  async subscribe({ projects, logs }, ctx) {
    // Logs first: if one is refused, the whole subscription stays as it was.
    const followed = await ctx.logs.replace(logs ?? []);
    ctx.fanout.setFilter(ctx.socket, projects === 'all' ? 'all' : new Set(projects));
    return {
      projects: projects === 'all' ? ctx.engine.projects().map((p) => p.id) : [...new Set(projects)],
      logs: followed,
    };
  },
  async resync({ sinceSeq }, ctx) {
    return ctx.fanout.resync(ctx.socket, sinceSeq);
  },
  async 'project:add'({ root }, ctx) {
    const project = await engineCall(() => ctx.engine.addProject(root));
    return { projectId: project.id };
  },
  async 'project:remove'({ projectId }, ctx) {
    await engineCall(() => ctx.engine.removeProject(projectId));
    return {};
  },
  async 'project:pause'({ projectId, paused }, ctx) {
    await engineCall(() => ctx.engine.pauseProject(projectId, paused));
    return {};
  },
  async 'engine:start'(_payload, ctx) {
    await engineCall(() => ctx.engine.setRunning(true));
    return {};
  },
  async 'engine:stop'(_payload, ctx) {
    await engineCall(() => ctx.engine.setRunning(false));
    return {};
  },
  async refresh({ projectId }, ctx) {
    await engineCall(() => ctx.engine.refresh(projectId));
    return {};
  },
  async 'projects:discover'({ folder }, ctx) {
    return { candidates: await engineCall(() => ctx.engine.discover(folder)) };
  },
  async 'demo:start'(_payload, ctx) {
    if (!ctx.startDemo) {
      throw new RequestFailure('failed', 'The demo is not available on this server; run `vigil demo` to start one.');
    }
    return engineCall(ctx.startDemo);
  },
  async 'run:start'(payload, ctx) {
    return { run: await runsOf(ctx).start(payload, starterOf(ctx.socket.data.grant)) };
  },
  async 'run:cancel'({ runId }, ctx) {
    return { run: runsOf(ctx).cancel(runId, starterOf(ctx.socket.data.grant)) };
  },
  async 'run:retry'({ runId }, ctx) {
    return { run: await runsOf(ctx).retry(runId, starterOf(ctx.socket.data.grant)) };
  },
  async 'batch:start'(payload, ctx) {
    return { batch: await runsOf(ctx).startBatch(payload, starterOf(ctx.socket.data.grant)) };
  },
  async 'batch:stop'({ batchId }, ctx) {
    return { batch: runsOf(ctx).stopBatch(batchId, starterOf(ctx.socket.data.grant)) };
  },
  async 'runs:list'(query, ctx) {
    return { runs: await runsOf(ctx).list(query) };
  },
  async 'actions:list'(query, ctx) {
    return runsOf(ctx).actions(query);
  },
};

/** A payload that breaks a size bound of its schema (a path, a list) is too large, not just invalid. */
function breaksSizeBound(name: RequestName, payload: unknown): boolean {
  const result = RequestSchemas[name].safeParse(payload ?? {});
  return !result.success && result.error.issues.some((issue) => issue.code === 'too_big');
}

export function isControlRequest(name: RequestName): boolean {
  return CONTROL_REQUESTS.includes(name);
}

/** Serve one request: the reply to send back, whatever happens. */
export async function serveRequest<R extends RequestName>(
  name: R,
  payload: unknown,
  ctx: RequestContext,
): Promise<Reply<RequestResults[R]>> {
  if (isControlRequest(name) && ctx.socket.data.grant.scope !== 'control') {
    return {
      ok: false,
      error: { event: name, code: 'forbidden', message: `${name} needs a token with control scope (vigil token create --scope control).` },
    };
  }
  const parsed = parseRequest(name, payload);
  if (!parsed.ok) {
    const code = breaksSizeBound(name, payload) ? 'too_large' : parsed.error.code;
    return { ok: false, error: { ...parsed.error, code } };
  }
  try {
    const handler = HANDLERS[name] as (p: RequestPayload<R>, c: RequestContext) => Promise<RequestResults[R]>;
    return { ok: true, data: await handler(parsed.value, ctx) };
  } catch (err) {
    const failure = classifyEngineError(err);
    return { ok: false, error: { event: name, code: failure.code, message: failure.message } };
  }
}
