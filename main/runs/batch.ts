// Batches, the way the sprint runner does them: a batch runs one action on a list of items in
// cycles of up to `concurrency` items; each item's run is a command. Events come in the
// runner's families and order: batch:start, then per cycle cycle:start, command:start … end
// for each of its items, cycle:end, and finally batch:end. With stopOnFailure, a cycle with a
// failure is the last; without, every item gets its run.
import { randomBytes } from 'node:crypto';
import type { Batch, BatchState, Run } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import type { Closable } from '../engine/api';
import type { PlaceholderItem } from './argv';
import type { ResolvedAction } from './catalog';
import { RunError } from './run-error';
import type { RunSupervisor } from './supervisor';

export interface BatchRequest {
  projectId: string;
  root: string;
  action: ResolvedAction;
  items: PlaceholderItem[];
  concurrency: number;
  stopOnFailure: boolean;
  startedBy: string;
}

interface LiveBatch {
  batch: Batch;
  request: BatchRequest;
  /** Item ids of each cycle. */
  plan: string[][];
  /** The run each item of the current cycle is waiting on (a retry replaces its first attempt). */
  waiting: Map<string, string>;
  completed: string[];
  anyFailed: boolean;
  stopRequested: string | null;
}

export function newBatchId(now: number): string {
  return `b_${now.toString(36)}${randomBytes(4).toString('hex')}`;
}

export class BatchRunner {
  private readonly batches = new Map<string, LiveBatch>();
  private readonly subscription: Closable;

  constructor(
    private readonly supervisor: RunSupervisor,
    private readonly publish: (events: DomainEvent[]) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.subscription = supervisor.onFinished((run, retry) => this.onRunFinished(run, retry));
  }

  activeBatches(): Batch[] {
    return [...this.batches.values()].map((b) => structuredClone(b.batch));
  }

  get(batchId: string): Batch | null {
    const live = this.batches.get(batchId);
    return live ? structuredClone(live.batch) : null;
  }

  start(request: BatchRequest): Batch {
    if (request.items.length === 0) throw new RunError('invalid', 'The batch has no items to run: pick some, or ask for the next ones that are ready.');
    const concurrency = Math.max(1, Math.floor(request.concurrency));
    // Every item must be able to run before any does.
    for (const item of request.items) this.supervisor.check({ ...this.runRequest(request, 'check', concurrency), item });
    const plan: string[][] = [];
    for (let i = 0; i < request.items.length; i += concurrency) plan.push(request.items.slice(i, i + concurrency).map((item) => item.id));
    const now = this.now();
    const batch: Batch = {
      id: newBatchId(now),
      projectId: request.projectId,
      action: request.action.spec.id,
      items: request.items.map((item) => item.id),
      concurrency,
      stopOnFailure: request.stopOnFailure,
      state: 'running',
      cycle: 0,
      cycles: plan.length,
      done: { succeeded: 0, failed: 0, cancelled: 0, skipped: 0 },
      startedBy: request.startedBy,
      startedAt: now,
      endedAt: null,
    };
    const live: LiveBatch = { batch, request: { ...request, concurrency }, plan, waiting: new Map(), completed: [], anyFailed: false, stopRequested: null };
    this.batches.set(batch.id, live);
    this.publish([{ type: 'batch:start', payload: { projectId: batch.projectId, batch_id: batch.id, batch: structuredClone(batch), max_cycles: plan.length } }]);
    this.nextCycle(live);
    return this.get(batch.id) ?? batch;
  }

  /** Stop a batch: its queued and running runs are cancelled, and no further cycle starts. */
  stop(batchId: string, by: string): Batch {
    const live = this.batches.get(batchId);
    if (!live) throw new RunError('not_found', `No batch is going on with the id ${batchId}.`);
    if (live.stopRequested !== null) return structuredClone(live.batch);
    live.stopRequested = by;
    live.batch.state = 'stopping';
    for (const runId of [...live.waiting.values()]) {
      try {
        this.supervisor.cancel(runId, by);
      } catch {
        // Ended meanwhile; its finish moves the batch on.
      }
    }
    if (live.waiting.size === 0) this.end(live);
    return structuredClone(live.batch);
  }

  close(): void {
    this.subscription.close();
  }

  private runRequest(request: BatchRequest, batchId: string, concurrency: number) {
    return {
      projectId: request.projectId,
      root: request.root,
      action: request.action,
      item: null,
      startedBy: request.startedBy,
      batchId,
      lane: { key: `batch:${batchId}`, limit: concurrency },
    };
  }

  private nextCycle(live: LiveBatch): void {
    const { batch } = live;
    const stop = live.stopRequested !== null || (batch.stopOnFailure && live.anyFailed);
    if (stop || batch.cycle >= live.plan.length) {
      this.end(live);
      return;
    }
    batch.cycle += 1;
    const keys = live.plan[batch.cycle - 1] as string[];
    live.completed = [];
    this.publish([{ type: 'cycle:start', payload: { projectId: batch.projectId, batch_id: batch.id, cycle_number: batch.cycle, story_keys: [...keys] } }]);
    for (const key of keys) {
      const item = live.request.items.find((i) => i.id === key) as PlaceholderItem;
      try {
        const run = this.supervisor.enqueue({ ...this.runRequest(live.request, batch.id, batch.concurrency), item });
        live.waiting.set(key, run.id);
      } catch {
        // It could not even be queued (Vigil is closing): the item counts as failed.
        live.anyFailed = true;
        batch.done.failed += 1;
      }
    }
    if (live.waiting.size === 0) this.endCycle(live);
  }

  private onRunFinished(run: Run, retry: Run | null): void {
    if (run.batchId === null) return;
    const live = this.batches.get(run.batchId);
    if (!live || run.itemId === null || live.waiting.get(run.itemId) !== run.id) return;
    if (retry && live.stopRequested === null) {
      live.waiting.set(run.itemId, retry.id);
      return;
    }
    live.waiting.delete(run.itemId);
    const done = live.batch.done;
    if (run.state === 'succeeded') {
      done.succeeded += 1;
      live.completed.push(run.itemId);
    } else if (run.state === 'cancelled') {
      done.cancelled += 1;
    } else {
      done.failed += 1;
      live.anyFailed = true;
    }
    if (live.waiting.size === 0) this.endCycle(live);
  }

  private endCycle(live: LiveBatch): void {
    const { batch } = live;
    // In the cycle's order, whatever order they finished in.
    const keys = live.plan[batch.cycle - 1] ?? [];
    const completed = keys.filter((key) => live.completed.includes(key));
    this.publish([{ type: 'cycle:end', payload: { projectId: batch.projectId, batch_id: batch.id, cycle_number: batch.cycle, completed_stories: completed } }]);
    this.nextCycle(live);
  }

  private end(live: LiveBatch): void {
    const { batch } = live;
    if (!this.batches.has(batch.id)) return;
    this.batches.delete(batch.id);
    const ran = live.plan.slice(0, batch.cycle).reduce((n, keys) => n + keys.length, 0);
    batch.done.skipped = batch.items.length - ran;
    const state: BatchState = live.stopRequested !== null ? 'stopped' : live.anyFailed ? 'failed' : 'completed';
    batch.state = state;
    batch.endedAt = this.now();
    this.publish([
      {
        type: 'batch:end',
        payload: { projectId: batch.projectId, batch_id: batch.id, batch: structuredClone(batch), cycles_completed: batch.cycle, status: state },
      },
    ]);
  }
}
