// Sends alerts without ever making the engine wait: `enqueue` is synchronous and bounded, a
// few requests run at a time, a 5xx, a 429, a timeout or a network error is retried three
// times with backoff, and every outcome goes into the delivery log (the newest 100). A
// channel that keeps failing is a health warning.
import type { DeliveryEntry } from '../../shared/alerts';
import type { HealthConditionDraft } from '../engine/health';
import type { Channel } from './channel-config';
import { outboundRequest } from './outbound-request';
import type { Notice } from './rules';

export interface DispatcherOptions {
  /** Waits before each retry; three retries by default (1 s, 5 s, 25 s). */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** Deliveries waiting at most; past it a new one is dropped (and logged). */
  maxQueue?: number;
  concurrency?: number;
  now?: () => number;
  /** Called when the log or a channel's failure count changed. */
  onChange?: () => void;
}

export const DELIVERY_LOG_SIZE = 100;
/** Failures in a row that make a channel a health warning. */
export const FAILING_AFTER = 3;

interface Job {
  channel: Channel;
  notice: Notice;
  attempt: number;
  settle?: (entry: DeliveryEntry) => void;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; retry: boolean };

export class Dispatcher {
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly entries: DeliveryEntry[] = [];
  private readonly failing = new Map<string, { count: number; name: string; error: string }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private conditionsValue: readonly HealthConditionDraft[] = [];
  private readonly retryDelaysMs: readonly number[];
  private readonly now: () => number;

  constructor(private readonly options: DispatcherOptions = {}) {
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 5000, 25_000];
    this.now = options.now ?? Date.now;
  }

  /** Queue a delivery; false when the queue is full and it was dropped. Never blocks. */
  enqueue(channel: Channel, notice: Notice): boolean {
    if (this.closed) return false;
    if (this.queue.length >= (this.options.maxQueue ?? 200)) {
      this.record({ channel, notice, attempt: 1 }, { status: 'dropped', httpStatus: null, latencyMs: null, error: 'too many alerts waiting; this one was dropped' });
      return false;
    }
    this.queue.push({ channel, notice, attempt: 1 });
    this.pump();
    return true;
  }

  /** Send now (still through the queue) and resolve with the final outcome, retries included. */
  send(channel: Channel, notice: Notice): Promise<DeliveryEntry> {
    return new Promise((settle) => {
      this.queue.unshift({ channel, notice, attempt: 1, settle });
      this.pump();
    });
  }

  /** Newest first. */
  log(): DeliveryEntry[] {
    return [...this.entries].reverse();
  }

  failuresInARow(channelId: string): number {
    return this.failing.get(channelId)?.count ?? 0;
  }

  /** Channels failing FAILING_AFTER times in a row, as health conditions (the same array while unchanged). */
  conditions(): readonly HealthConditionDraft[] {
    return this.conditionsValue;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.queue.length = 0;
  }

  private pump(): void {
    while (!this.closed && this.running < (this.options.concurrency ?? 4) && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.running += 1;
      void this.attempt(job).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async attempt(job: Job): Promise<void> {
    const started = performance.now();
    const outcome = await this.post(job);
    if (this.closed) return;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (outcome.ok) {
      const entry = this.record(job, { status: 'sent', httpStatus: outcome.status, latencyMs, error: null });
      this.noteResult(job.channel, null);
      job.settle?.(entry);
      return;
    }
    const delay = this.retryDelaysMs[job.attempt - 1];
    if (outcome.retry && delay !== undefined) {
      this.record(job, { status: 'retrying', httpStatus: outcome.status, latencyMs, error: outcome.error });
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.queue.push({ ...job, attempt: job.attempt + 1 });
        this.pump();
      }, delay);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    const entry = this.record(job, { status: 'failed', httpStatus: outcome.status, latencyMs, error: outcome.error });
    this.noteResult(job.channel, outcome.error);
    job.settle?.(entry);
  }

  private async post(job: Job): Promise<Outcome> {
    let request;
    try {
      request = outboundRequest(job.channel, job.notice, this.now());
    } catch (err) {
      return { ok: false, status: null, error: (err as Error).message, retry: false };
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    try {
      const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: controller.signal, redirect: 'error' });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, status: res.status };
      const retry = res.status >= 500 || res.status === 429;
      return { ok: false, status: res.status, error: `${res.status} ${res.statusText}`.trim(), retry };
    } catch (err) {
      const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'aborted') : describeNetworkError(err);
      return { ok: false, status: null, error: reason, retry: true };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private record(job: Job, outcome: Pick<DeliveryEntry, 'status' | 'httpStatus' | 'latencyMs' | 'error'>): DeliveryEntry {
    const entry: DeliveryEntry = { at: this.now(), channelId: job.channel.id, channelName: job.channel.name, title: job.notice.title, attempt: job.attempt, ...outcome };
    this.entries.push(entry);
    if (this.entries.length > DELIVERY_LOG_SIZE) this.entries.splice(0, this.entries.length - DELIVERY_LOG_SIZE);
    this.options.onChange?.();
    return entry;
  }

  private noteResult(channel: Channel, error: string | null): void {
    const before = this.failing.get(channel.id)?.count ?? 0;
    if (error === null) this.failing.delete(channel.id);
    else this.failing.set(channel.id, { count: before + 1, name: channel.name, error });
    const after = this.failing.get(channel.id)?.count ?? 0;
    if ((before >= FAILING_AFTER) !== (after >= FAILING_AFTER) || after >= FAILING_AFTER) this.rebuildConditions();
  }

  private rebuildConditions(): void {
    this.conditionsValue = [...this.failing]
      .filter(([, f]) => f.count >= FAILING_AFTER)
      .map(([id, f]) => ({
        key: `channel-failing:${id}`,
        level: 'warning' as const,
        projectId: null,
        message: `Alerts to ${f.name} keep failing (${f.count} in a row): ${f.error}.`,
        hint: 'Check the channel in Settings → Alert channels (the desktop app) or with `vigil notify list` and `vigil notify test <id>`: the URL, the token, and whether the service is up. The delivery log shows each attempt.',
      }));
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : err instanceof Error ? err.message : String(err);
}
