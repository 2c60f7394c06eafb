// What each request does, as one map typed over RequestSchemas: a request without a handler
// here does not compile. Handlers get a parsed payload and the scope is already checked; they
// return the result or throw (the session turns what they throw into an error reply).
import type { RequestName, RequestPayload, RequestResults } from '../../shared/protocol';
import type { EngineApi } from '../engine/api';
import type { Runs } from '../runs/runs';
import type { HistoryApi } from '../store/history';
import { HistoryQueryError } from '../store/queries';
import type { LogRef } from './log-follows';
import type { ProjectFilter } from './project-filter';
import { RequestFailure } from './request-failure';

/** Creates the demo workspace; the commands and the desktop app pass one in. */
export type DemoStarter = () => Promise<{ projectIds: string[] }>;

/** What a handler may use: the engine and the requesting client's side of the session. */
export interface HandlerContext {
  engine: EngineApi;
  startDemo?: DemoStarter;
  /** Runs of actions; without them the run requests answer `failed`. */
  runs?: Runs;
  /** Who this client's runs are recorded as started by. */
  startedBy: string;
  /** The journal the history requests read; without it they fail with a message. */
  history?: HistoryApi;
  /** Follow exactly these logs (all or nothing); resolves with what is followed. */
  followLogs(refs: LogRef[]): Promise<LogRef[]>;
  setFilter(filter: ProjectFilter): void;
  /** The missed events after `sinceSeq`, or a fresh hello (rate-limited per client). */
  resync(sinceSeq: number): RequestResults['resync'];
}

function runsOf(ctx: HandlerContext): Runs {
  if (!ctx.runs) throw new RequestFailure('failed', 'This Vigil does not run actions.');
  return ctx.runs;
}

export type RequestHandlers = {
  [R in RequestName]: (payload: RequestPayload<R>, ctx: HandlerContext) => Promise<RequestResults[R]>;
};

export const HANDLERS: RequestHandlers = {
  async subscribe({ projects, logs }, ctx) {
    // Logs first: if one is refused, the whole subscription stays as it was.
    const followed = await ctx.followLogs(logs ?? []);
    ctx.setFilter(projects === 'all' ? 'all' : new Set(projects));
    return {
      projects: projects === 'all' ? ctx.engine.projects().map((p) => p.id) : [...new Set(projects)],
      logs: followed,
    };
  },
  async resync({ sinceSeq }, ctx) {
    return ctx.resync(sinceSeq);
  },
  async 'project:add'({ root }, ctx) {
    const project = await ctx.engine.addProject(root);
    return { projectId: project.id };
  },
  async 'project:remove'({ projectId }, ctx) {
    await ctx.engine.removeProject(projectId);
    return {};
  },
  async 'project:pause'({ projectId, paused }, ctx) {
    await ctx.engine.pauseProject(projectId, paused);
    return {};
  },
  async 'engine:start'(_payload, ctx) {
    await ctx.engine.setRunning(true);
    return {};
  },
  async 'engine:stop'(_payload, ctx) {
    await ctx.engine.setRunning(false);
    return {};
  },
  async refresh({ projectId }, ctx) {
    await ctx.engine.refresh(projectId);
    return {};
  },
  async 'projects:discover'({ folder }, ctx) {
    return { candidates: await ctx.engine.discover(folder) };
  },
  async 'demo:start'(_payload, ctx) {
    if (!ctx.startDemo) {
      throw new RequestFailure('failed', 'The demo is not available here; run `vigil demo` to start one.');
    }
    return ctx.startDemo();
  },
  async 'run:start'(payload, ctx) {
    return { run: await runsOf(ctx).start(payload, ctx.startedBy) };
  },
  async 'run:cancel'({ runId }, ctx) {
    return { run: runsOf(ctx).cancel(runId, ctx.startedBy) };
  },
  async 'run:retry'({ runId }, ctx) {
    return { run: await runsOf(ctx).retry(runId, ctx.startedBy) };
  },
  async 'batch:start'(payload, ctx) {
    return { batch: await runsOf(ctx).startBatch(payload, ctx.startedBy) };
  },
  async 'batch:stop'({ batchId }, ctx) {
    return { batch: runsOf(ctx).stopBatch(batchId, ctx.startedBy) };
  },
  async 'runs:list'(query, ctx) {
    return { runs: await runsOf(ctx).list(query) };
  },
  async 'actions:list'(query, ctx) {
    return runsOf(ctx).actions(query);
  },
  async 'history:query'(query, ctx) {
    return fromHistory(ctx, (history) => history.page(query));
  },
  async 'history:burnup'(query, ctx) {
    return fromHistory(ctx, (history) => ({ series: history.burnup(query) }));
  },
  async 'history:throughput'(query, ctx) {
    return fromHistory(ctx, (history) => ({ buckets: history.throughput(query) }));
  },
  async 'history:digest'(query, ctx) {
    return fromHistory(ctx, (history) => history.digest(query));
  },
};

/** Ask the journal; a query it refuses is the client's `invalid`, a journal that is not there `failed`. */
function fromHistory<T>(ctx: HandlerContext, ask: (history: HistoryApi) => T): T {
  if (!ctx.history) throw new RequestFailure('failed', 'This server keeps no history.');
  try {
    return ask(ctx.history);
  } catch (err) {
    if (err instanceof HistoryQueryError) throw new RequestFailure('invalid', err.message);
    throw err;
  }
}
