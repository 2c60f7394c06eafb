// `vigil watch <folder…> --json`: run the engine on the folders and print, as NDJSON, the
// `hello` message (the whole snapshot) and then every event, until SIGINT/SIGTERM (or the
// reader closing the pipe) — then close every watcher and exit 0. Without --json each event
// is one readable line.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EngineEvent } from '../../shared/protocol';
import { createEngine, type Engine } from '../engine/engine';
import { buildHello } from '../session/hello';
import { parseCommandArgs, usageError } from './args';
import { untilStopSignal } from './stop-signal';

const HELP = `Usage: vigil watch <folder…> [--json]

Watch folders and print every change as it happens.

Options:
  --json      One JSON object per line: first the hello snapshot, then each event
  -h, --help  Show this help
`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('watch', args, { json: { type: 'boolean', default: false } }, HELP);
  if (typeof parsed === 'number') return parsed;
  const folders = parsed.positionals;
  if (folders.length === 0) return usageError('watch', 'give at least one folder to watch', HELP);
  for (const folder of folders) {
    const problem = await notAFolder(folder);
    if (problem) {
      process.stderr.write(`vigil watch: ${problem}\n`);
      return 2;
    }
  }

  const json = parsed.values.json;
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

async function notAFolder(folder: string): Promise<string | null> {
  try {
    const info = await stat(resolve(folder));
    return info.isDirectory() ? null : `${folder}: not a folder (give the folder that holds the project)`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${folder}: no such folder (${resolve(folder)})`;
    if (code === 'EACCES' || code === 'EPERM') return `${folder}: permission denied; check that you can read ${resolve(folder)}`;
    return `${folder}: cannot be read (${(err as Error).message})`;
  }
}

function summaryLine(engine: Engine): string {
  const snap = engine.snapshot();
  const lines = snap.projects.map(
    (p) => `watching ${p.root}: ${p.sources.join(', ') || 'no planning files yet'}; ${p.progress.done}/${p.progress.total} plans finished`,
  );
  return `${lines.join('\n')}\n`;
}

function eventLine(event: EngineEvent): string {
  const time = new Date(event.ts).toISOString().slice(11, 23);
  switch (event.type) {
    case 'item:status': {
      const p = event.payload;
      return `${time} ${p.kind} ${p.id} "${p.title}": ${p.from ?? 'new'} → ${p.to}\n`;
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
