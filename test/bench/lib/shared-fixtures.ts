// The two fixtures that take a minute or more each to make: the scale workspace (200 projects ×
// 2,000 files) and a million-event history about its first 50 projects. `npm run bench` makes
// them once (fixtures.ts, started by run.mjs) and hands their folders to every bench and every
// repeat through the environment; a bench run alone, or handed a fixture that does not fit,
// makes its own. A shared fixture is read-only: a bench that writes to the history copies it.
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../../main/store/database';
import { tempDir } from './lifetime';
import { seedHistory, type SeededHistory } from './seed-history';
import { describeTree, writeTree, type TreeProject } from './tree';

/** The folder of a scale workspace fixtures.ts wrote (its projects and a manifest). */
export const SHARED_TREE_ENV = 'BENCH_SHARED_TREE';
/** The folder of a seeded history fixtures.ts wrote (vigil.db and a manifest). */
export const SHARED_HISTORY_ENV = 'BENCH_SHARED_HISTORY';

export const FILES_PER_PROJECT = 2000;
/** Start-up and history use this many projects of the scale workspace. */
export const HISTORY_PROJECTS = 50;
/** Events in the large history (`BENCH_HISTORY_EVENTS` makes it smaller for a quick look). */
export const HISTORY_EVENTS = Number(process.env.BENCH_HISTORY_EVENTS ?? 1_000_000);

const MANIFEST = 'fixture.json';

interface TreeManifest {
  projects: number;
  filesPerProject: number;
  generatedMs: number;
}

interface HistoryManifest extends SeededHistory {
  roots: string[];
  /** What was asked for (`events` is what was written: whole batches of three). */
  asked: number;
}

export interface ScaleTree {
  projects: TreeProject[];
  /** How long writing it took: in this bench, or (shared) in fixtures.ts. */
  generatedMs: number;
  shared: boolean;
}

export interface HistoryFixture {
  /** A config folder holding the seeded vigil.db: copy it (`copyHistory`) before opening it for writing. */
  dir: string;
  seeded: SeededHistory;
  shared: boolean;
}

function readManifest<T>(dir: string | undefined): T | null {
  if (!dir) return null;
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Write a scale workspace of `projects` projects into `dir`, with the manifest a bench checks. */
export function makeTree(dir: string, projects: number): ScaleTree {
  const started = performance.now();
  const written = writeTree(realpathSync(dir), projects, FILES_PER_PROJECT);
  const generatedMs = performance.now() - started;
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ projects, filesPerProject: FILES_PER_PROJECT, generatedMs } satisfies TreeManifest));
  return { projects: written, generatedMs, shared: false };
}

/** The first `projects` projects of the shared scale workspace, or a fresh one of this bench's own. */
export function scaleTree(label: string, projects: number): ScaleTree {
  const dir = process.env[SHARED_TREE_ENV];
  const manifest = readManifest<TreeManifest>(dir);
  if (dir && manifest && manifest.projects >= projects && manifest.filesPerProject === FILES_PER_PROJECT) {
    return { projects: describeTree(realpathSync(dir), projects, FILES_PER_PROJECT), generatedMs: manifest.generatedMs, shared: true };
  }
  return makeTree(tempDir(label).path, projects);
}

/** Seed `events` events about `roots` into `dir`, with the manifest a bench checks. */
export async function makeHistory(dir: string, roots: string[], events: number): Promise<HistoryFixture> {
  const seeded = await seedHistory(roots, dir, events);
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ ...seeded, roots, asked: events } satisfies HistoryManifest));
  return { dir, seeded, shared: false };
}

/** The shared history when it is about exactly these roots and this many events; else one of this bench's own. */
export async function historyFixture(label: string, roots: string[], events: number): Promise<HistoryFixture> {
  const dir = process.env[SHARED_HISTORY_ENV];
  const manifest = readManifest<HistoryManifest>(dir);
  if (dir && manifest && manifest.asked === events && manifest.roots.length === roots.length && manifest.roots.every((root, i) => root === roots[i])) {
    const { projectId, events: written, transactions, writeMs } = manifest;
    return { dir, seeded: { projectId, events: written, transactions, writeMs }, shared: true };
  }
  return makeHistory(tempDir(label).path, roots, events);
}

/**
 * Copy the seeded database into `configDir` (made if needed), where a start may write to it.
 * The copy is on disk before this returns: hundreds of MB still being written back would make
 * the first fsync of the start that follows (its token file's) wait for the bench's own copy —
 * 175 ms of a 0.9 s start under strace — which no user's long-written vigil.db costs.
 */
export function copyHistory(fixture: HistoryFixture, configDir: string): void {
  mkdirSync(configDir, { recursive: true });
  for (const name of [DB_FILE, `${DB_FILE}-wal`]) {
    if (!existsSync(join(fixture.dir, name))) continue;
    const copy = join(configDir, name);
    copyFileSync(join(fixture.dir, name), copy);
    const fd = openSync(copy, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
