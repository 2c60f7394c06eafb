// `vigil watch <folder…> --json`: run the engine on the folders and print, as NDJSON, the
// `hello` message (the whole snapshot) and then every event, until SIGINT/SIGTERM (or the
// reader closing the pipe) — then close every watcher and exit 0. Without --json each event
// is one readable line.
import { resolve } from 'node:path';
import { PLAN_KINDS, type ItemKind } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { createEngine, type Engine } from '../engine/engine';
import { buildHello } from '../session/hello';
import { parseCommandArgs } from './args';
import { folderProblem } from './folder-check';
import { WATCH } from './specs';
import { untilStopSignal } from './stop-signal';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(WATCH, args);
  if (typeof parsed === 'number') return parsed;
  const folders = parsed.positionals;
  for (const folder of folders) {
    const problem = await folderProblem(folder);
    if (problem) {
      process.stderr.write(`vigil watch: ${problem}\n`);
      return 2;
    }
  }

  const json = parsed.values.json === true;
  const engine = await createEngine({
    roots: folders.map((f) => resolve(f)),
    onError: (err) => process.stderr.write(`vigil watch: ${err instanceof Error ? err.message : String(err)}\n`),
  });
  return streamUntilStopped(engine, json);
}

function streamUntilStopped(engine: Engine, json: boolean): Promise<number> {
  return new Promise((done) => {
    let stopping = false;
    const write = (text: string): void | Promise<void> => {
      if (stopping) return;
      // Back-pressure: the hub holds further batches until stdout drains (and tells us to
      // resync by overflow if the reader falls too far behind).
      if (!process.stdout.write(text)) return new Promise((r) => process.stdout.once('drain', () => r()));
    };
    const hello = (): string => `${JSON.stringify({ type: 'hello', ...buildHello(engine) })}\n`;

    if (json) void write(hello());
    else void write(summaryLine(engine));

    const sink = engine.hub.addSink({
      deliver: (batch) => write(batch.map((e) => (json ? `${JSON.stringify(e)}\n` : eventLine(e))).join('')),
      // Too far behind: start again from a fresh snapshot, as a socket client would.
      overflow: () => {
        if (json) void write(hello());
      },
    });

    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.off('error', onStdoutError);
      sink.close();
      void engine.close().then(
        () => done(0),
        (err: unknown) => {
          process.stderr.write(`vigil watch: closing failed: ${String(err)}\n`);
          done(1);
        },
      );
    };
    // The reader went away (`vigil watch … | head`): that is a normal way to stop.
    const onStdoutError = (): void => stop();
    void untilStopSignal().then(stop);
    process.stdout.on('error', onStdoutError);
  });
}

function summaryLine(engine: Engine): string {
  const snap = engine.snapshot();
  const lines = snap.projects.map(
    (p) => `watching ${p.root}: ${p.sources.join(', ') || 'no planning files yet'}; ${p.progress.done}/${p.progress.total} plans finished`,
  );
  return `${lines.join('\n')}\n`;
}

/** A plan says what it is (phase, epic, story…): plan ids carry their kind after the source. */
function itemNoun(kind: ItemKind, id: string): string {
  if (kind === 'workorder') return 'work order';
  if (kind === 'stub') return 'stub';
  const planKind = id.split(':')[1];
  return planKind && (PLAN_KINDS as readonly string[]).includes(planKind) ? planKind : 'plan';
}

function eventLine(event: EngineEvent): string {
  const time = new Date(event.ts).toISOString().slice(11, 23);
  switch (event.type) {
    case 'item:status': {
      const p = event.payload;
      return `${time} ${itemNoun(p.kind, p.id)} ${p.id} "${p.title}": ${p.from ?? 'new'} → ${p.to}\n`;
    }
    case 'plan:added':
    case 'plan:updated':
      return `${time} ${event.type} ${event.payload.plan.id} ${event.payload.plan.status} ${event.payload.plan.progress.done}/${event.payload.plan.progress.total}\n`;
    case 'parse:issue': {
      const p = event.payload;
      return p.issues.length === 0
        ? `${time} issues cleared in ${p.path}\n`
        : p.issues.map((i) => `${time} issue ${i.path}${i.line !== null ? `:${i.line}` : ''} ${i.message}\n`).join('');
    }
    case 'project:state':
      return `${time} project ${event.payload.projectId}: ${event.payload.from} → ${event.payload.to}\n`;
    default:
      return `${time} ${event.type}\n`;
  }
}
