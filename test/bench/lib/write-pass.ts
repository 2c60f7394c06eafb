// One latency pass: writes at a steady pace, spread over every plan file (never two in flight
// on the same file, so each write has one final content to be judged against), mixing the
// writer styles. Each write is timed from its start until the pipeline holds its content.
import type { SourceAdapter } from '../../../main/sources/types';
import type { Child } from './children';
import { nowMs, sleep } from './clock';
import { changedPlans, expectedPlans, type PlanFields } from './mirror';
import type { DeliveryDetail, Pipeline, UnexpectedState } from './pipelines';
import { WRITER_STYLES, writeChunked, writeViaRename, writeWhole, type WriterStyle } from './writers';
import { mutate, seededRandom, type PlanFile, type Workspace } from './workspace';

export interface WriteRecord {
  id: number;
  /** A warm-up write: checked for loss like any other, left out of the latency figures. */
  warmup: boolean;
  style: WriterStyle;
  source: string;
  t0: number | null;
  /** When the writer was done (its close, or the rename). */
  ended: number | null;
  delivered: number | null;
  /** Vigil only: the first client's match and the hub stamp, to split the latency. */
  detail: DeliveryDetail | null;
  lost: boolean;
}

/** States clients held that no writer wrote whole, by what they were. */
export interface HeldStateCheck {
  /** A prefix of the text being written (an empty or half-written file), by writer style. */
  halfWritten: Record<string, number>;
  /** Not a prefix of any write nearby either: bytes of two versions mixed (a torn read). */
  neverOnDisk: number;
  samples: string[];
}

export interface PassResult {
  records: WriteRecord[];
  held: HeldStateCheck;
  /** Writes that changed nothing the model shows (a bench bug if > 0). */
  unobservable: number;
  finalMismatches: number;
  finalSamples: string[];
  durationMs: number;
  counters: Record<string, unknown>;
}

export interface PassOptions {
  writes: number;
  /** Writes before the measured ones, so JIT and caches are warm as in a long-running app. */
  warmup: number;
  paceMs: number;
  /** How long after a write ends it may still be delivered before it counts as lost. */
  timeoutMs: number;
  seed: number;
  adapters: readonly SourceAdapter[];
  writer: Child;
}

export async function runPass(pipeline: Pipeline, ws: Workspace, options: PassOptions): Promise<PassResult> {
  const random = seededRandom(options.seed);
  const expected = new Map(ws.projects.map((p) => [p.root, expectedPlans(options.adapters, p.files)]));
  const records: WriteRecord[] = [];
  const waiting = new Map<number, (t: number) => void>();
  const early = new Map<number, number>();
  const details = new Map<number, DeliveryDetail>();
  pipeline.onDelivered((id, t, detail) => {
    if (detail) details.set(id, detail);
    const resolve = waiting.get(id);
    if (resolve) resolve(t);
    else early.set(id, t);
  });

  await pipeline.initialStates?.(ws, (root) => [...(expected.get(root) ?? new Map<string, PlanFields>()).values()]);
  const writeLog = new Map<number, WriteLog>();

  const inFlight = new Set<PlanFile>();
  const tasks: Promise<void>[] = [];
  let unobservable = 0;
  let cursor = 0;
  const started = nowMs();

  function nextIdleFile(): PlanFile | null {
    for (let k = 0; k < ws.planFiles.length; k++) {
      const file = ws.planFiles[(cursor + k) % ws.planFiles.length]!;
      if (!inFlight.has(file)) {
        cursor = (cursor + k + 1) % ws.planFiles.length;
        return file;
      }
    }
    return null;
  }

  async function perform(record: WriteRecord, file: PlanFile, text: string): Promise<void> {
    let ended: number;
    if (record.style === 'writer-process') {
      const reply = await options.writer.request<{ t0: number; t1: number }>({ type: 'write', path: file.abs, text });
      record.t0 = reply.t0;
      ended = reply.t1;
    } else {
      const write = record.style === 'chunked' ? writeChunked : record.style === 'rename' ? writeViaRename : writeWhole;
      record.t0 = nowMs();
      await write(file.abs, text);
      ended = nowMs();
    }
    record.ended = ended;
    const deadline = ended + options.timeoutMs + pipeline.slackMs;
    const delivered = early.get(record.id) ?? (await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), Math.max(0, deadline - nowMs()));
      waiting.set(record.id, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    }));
    waiting.delete(record.id);
    early.delete(record.id);
    if (delivered === null) {
      record.lost = true;
      pipeline.forget(record.id);
    } else {
      record.delivered = delivered;
      record.detail = details.get(record.id) ?? null;
    }
    details.delete(record.id);
    inFlight.delete(file);
  }

  for (let i = 0; i < options.warmup + options.writes; i++) {
    const due = started + i * options.paceMs;
    if (due > nowMs()) await sleep(due - nowMs());
    let file = nextIdleFile();
    for (let spins = 0; file === null && spins < 10_000; spins++) {
      await sleep(1);
      file = nextIdleFile();
    }
    if (file === null) throw new Error('every plan file stayed in flight for 10 s');
    const before = expected.get(file.project.root)!;
    const filesBefore = new Map(file.project.files);
    let text = mutate(file, random);
    let after = expectedPlans(options.adapters, file.project.files);
    let changes = changedPlans(before, after);
    for (let tries = 0; changes.size === 0 && tries < 5; tries++) {
      text = mutate(file, random);
      after = expectedPlans(options.adapters, file.project.files);
      changes = changedPlans(before, after);
    }
    if (changes.size === 0) unobservable++;
    expected.set(file.project.root, after);
    const record: WriteRecord = { id: i, warmup: i < options.warmup, style: WRITER_STYLES[i % WRITER_STYLES.length]!, source: file.project.source, t0: null, ended: null, delivered: null, detail: null, lost: false };
    records.push(record);
    inFlight.add(file);
    writeLog.set(i, { record, root: file.project.root, rel: file.rel, text, filesBefore });
    const beforeOfChanged = new Map([...changes.keys()].map((id) => [id, before.get(id) ?? null]));
    await pipeline.expect({ id: i, root: file.project.root, abs: file.abs, text, changes, before: beforeOfChanged });
    tasks.push(perform(record, file, text));
  }
  await Promise.all(tasks);
  const durationMs = nowMs() - started;
  const counters = pipeline.counters?.() ?? {};
  await sleep(500);
  const final = await pipeline.finalCheck(ws, (root) => [...(expected.get(root) ?? new Map<string, PlanFields>()).values()]);
  const unexpected = await pipeline.unexpectedStates?.();
  if (unexpected) counters.modelVerdicts = `${unexpected.judged} judged, ${unexpected.shared} reused by clients holding the same model`;
  const held = classifyHeldStates(unexpected?.states ?? [], writeLog, options.adapters);
  return { records, held, unobservable, finalMismatches: final.mismatches, finalSamples: final.samples, durationMs, counters };
}

interface WriteLog {
  record: WriteRecord;
  root: string;
  rel: string;
  text: string;
  /** The project's files just before this write. */
  filesBefore: Map<string, string>;
}

/** How far around a write a state may be blamed on it: its own delivery deadline. */
const BLAME_WINDOW_MS = 3000;

/**
 * Each state a client held that was neither before nor after the newest write of its plan:
 * is it what the adapters make of some prefix of a write to that project at about that time
 * (the file caught empty or half-written), or of nothing written at all (a torn read)?
 */
function classifyHeldStates(unexpected: UnexpectedState[], writes: Map<number, WriteLog>, adapters: readonly SourceAdapter[]): HeldStateCheck {
  const check: HeldStateCheck = { halfWritten: {}, neverOnDisk: 0, samples: [] };
  const prefixStates = new Map<number, Map<string, PlanFields | null>[]>();
  const statesOf = (write: WriteLog): Map<string, PlanFields | null>[] => {
    let states = prefixStates.get(write.record.id);
    if (!states) {
      states = [];
      for (let length = 0; length < write.text.length; length++) {
        const files = new Map(write.filesBefore);
        files.set(write.rel, write.text.slice(0, length));
        states.push(expectedPlans(adapters, files));
      }
      prefixStates.set(write.record.id, states);
    }
    return states;
  };
  for (const state of unexpected) {
    // The write the client was told about first, then the others of that project, newest first.
    const nearby = [...writes.values()]
      .filter((w) => w.root === state.root && w.record.t0 !== null && w.record.t0 <= state.at && (w.record.delivered ?? Number.POSITIVE_INFINITY) + BLAME_WINDOW_MS >= state.at)
      .sort((a, b) => Number(b.record.id === state.writeId) - Number(a.record.id === state.writeId) || b.record.id - a.record.id);
    const culprit = nearby.find((w) => statesOf(w).some((plans) => samePlanFields(plans.get(state.planId) ?? null, state.held)));
    // One count per client that held it: the figure is client × write.
    const who = `${state.clients.length} client${state.clients.length === 1 ? '' : 's'} (e.g. client ${state.clients[0]})`;
    if (culprit) {
      const style = culprit.record.style;
      const before = check.halfWritten[style] ?? 0;
      check.halfWritten[style] = before + state.clients.length;
      if (before === 0) check.samples.push(`${who} held ${state.planId} half-written by write ${culprit.record.id} (${style} ${culprit.rel}): ${JSON.stringify(state.held)}`);
    } else {
      check.neverOnDisk += state.clients.length;
      if (check.samples.length < 10) check.samples.push(`${who} held ${state.planId} in a state no write had (${state.root}): ${JSON.stringify(state.held)}`);
    }
  }
  return check;
}

function samePlanFields(a: PlanFields | null, b: PlanFields | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function latencies(
  records: WriteRecord[],
  filter: (r: WriteRecord) => boolean = () => true,
  span: (r: WriteRecord) => number = (r) => r.delivered! - r.t0!,
): number[] {
  return records.filter((r) => !r.warmup && filter(r) && r.delivered !== null && r.t0 !== null && r.ended !== null).map(span);
}
