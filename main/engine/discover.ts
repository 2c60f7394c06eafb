// "Discover projects under ~/code": walk a folder tree looking for the folders the planning
// conventions write (each adapter's roots), and list the folders that hold them. Registers
// nothing. The walk is bounded in depth and in folders read, skips dependency and hidden
// folders and symlinks, and does not descend into a project once found.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { SourceId } from '../../shared/model';
import type { DiscoveredProject } from '../../shared/protocol';
import { ADAPTERS } from '../sources/index';
import type { SourceAdapter } from '../sources/types';
import { EngineError } from './errors';

export interface DiscoverOptions {
  /** How many levels below `folder` to look (the folder itself is level 0). */
  maxDepth?: number;
  /** Roots already registered (real paths), to mark candidates `registered`. */
  registeredRoots?: readonly string[];
  /** Stop after reading this many folders, and say so. */
  maxDirs?: number;
  /** The conventions to look for; every adapter by default. */
  adapters?: readonly SourceAdapter[];
}

export interface DiscoverResult {
  /** The folder looked in, as a real absolute path. */
  folder: string;
  projects: DiscoveredProject[];
  /** Folders read. */
  visitedDirs: number;
  /** The walk stopped at `maxDirs`: there may be more projects deeper. */
  limitReached: boolean;
  /** Folders that could not be read (permissions), skipped. */
  unreadableDirs: number;
}

// Folders that never hold a project of their own but can hold a great many folders.
const SKIPPED = new Set(['node_modules', 'bower_components', '__pycache__']);
const CONCURRENCY = 16;

/**
 * Some convention folders have names any project might use (`specs/`, `tasks/`,
 * `backlog/`): one of them marks a convention only with the evidence the tool leaves.
 * Keyed by the adapter root path; a root not listed here is evidence enough by itself.
 */
const EVIDENCE: Record<string, (entries: Dirent[]) => boolean> = {
  // Task Master's legacy layout: tasks/tasks.json.
  tasks: (entries) => entries.some((e) => e.isFile() && e.name === 'tasks.json'),
  // spec-kit feature folders: 001-name or 20250101-120000-name.
  specs: (entries) => entries.some((e) => e.isDirectory() && /^(\d{3,}|\d{8}-\d{6})-./.test(e.name)),
  // Backlog.md: a config.yml or a tasks/ folder.
  backlog: (entries) => entries.some((e) => (e.isFile() && e.name === 'config.yml') || (e.isDirectory() && e.name === 'tasks')),
  '.backlog': (entries) => entries.some((e) => (e.isFile() && e.name === 'config.yml') || (e.isDirectory() && e.name === 'tasks')),
  // BMAD v4 stories: docs/stories/1.2.title.md.
  'docs/stories': (entries) => entries.some((e) => e.isFile() && /^\d+\.\d+.*\.md$/i.test(e.name)),
};

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function hasConvention(dir: string, rootPath: string, names: ReadonlyMap<string, Dirent>): Promise<boolean> {
  const [first] = rootPath.split('/');
  const entry = first === undefined ? undefined : names.get(first);
  // Cheap test first: most folders hold none of the marker names.
  if (!entry || !(entry.isDirectory() || entry.isSymbolicLink())) return false;
  const full = join(dir, ...rootPath.split('/'));
  if (!(await isDirectory(full))) return false;
  const evidence = EVIDENCE[rootPath];
  if (!evidence) return true;
  try {
    return evidence(await readdir(full, { withFileTypes: true }));
  } catch {
    return false;
  }
}

/** The conventions present in one folder, given its entries (in adapter order). */
export async function detectSources(
  dir: string,
  entries?: Dirent[],
  adapters: readonly SourceAdapter[] = ADAPTERS,
): Promise<SourceId[]> {
  const list = entries ?? (await readdir(dir, { withFileTypes: true }));
  const names = new Map(list.map((e) => [e.name, e]));
  const found: SourceId[] = [];
  for (const adapter of adapters) {
    for (const root of adapter.roots) {
      if (await hasConvention(dir, root.path, names)) {
        found.push(adapter.id);
        break;
      }
    }
  }
  return found;
}

function expandHome(folder: string): string {
  return folder === '~' || folder.startsWith('~/') ? join(homedir(), folder.slice(1)) : folder;
}

/** Walk `folder` for projects, and report how the walk went. */
export async function scanForProjects(folder: string, options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const maxDepth = options.maxDepth ?? 4;
  const maxDirs = options.maxDirs ?? 20_000;
  const adapters = options.adapters ?? ADAPTERS;
  const registered = new Set((options.registeredRoots ?? []).map((r) => resolve(r)));

  const absolute = resolve(expandHome(folder));
  let start: string;
  try {
    start = await realpath(absolute);
  } catch {
    throw new EngineError('not_found', `Cannot look for projects in ${absolute}: the folder does not exist`);
  }
  if (!(await isDirectory(start))) throw new EngineError('invalid', `Cannot look for projects in ${absolute}: it is a file, not a folder`);

  const result: DiscoverResult = { folder: start, projects: [], visitedDirs: 0, limitReached: false, unreadableDirs: 0 };
  let queue: { dir: string; depth: number }[] = [{ dir: start, depth: 0 }];

  const visit = async (dir: string, depth: number, next: { dir: string; depth: number }[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      result.unreadableDirs += 1;
      return;
    }
    const sources = await detectSources(dir, entries, adapters);
    if (sources.length > 0) {
      result.projects.push({ root: dir, name: basename(dir) || dir, sources, registered: registered.has(dir) });
      // A project's own subfolders are its business, not separate projects.
      return;
    }
    if (depth >= maxDepth) return;
    for (const e of entries) {
      // Dirent.isDirectory() is false for a symlink, so linked folders are never followed.
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED.has(e.name)) next.push({ dir: join(dir, e.name), depth: depth + 1 });
    }
  };

  while (queue.length > 0) {
    const next: { dir: string; depth: number }[] = [];
    for (let i = 0; i < queue.length; i += CONCURRENCY) {
      const room = maxDirs - result.visitedDirs;
      if (room <= 0) {
        result.limitReached = true;
        break;
      }
      const batch = queue.slice(i, i + Math.min(CONCURRENCY, room));
      result.visitedDirs += batch.length;
      await Promise.all(batch.map((item) => visit(item.dir, item.depth, next)));
      if (batch.length < CONCURRENCY && i + batch.length < queue.length) {
        result.limitReached = true;
        break;
      }
    }
    if (result.limitReached) break;
    queue = next;
  }
  result.projects.sort((a, b) => a.root.localeCompare(b.root));
  return result;
}

/** Projects under `folder`, found by their convention markers; registers nothing. */
export async function discoverProjects(folder: string, options: DiscoverOptions = {}): Promise<DiscoveredProject[]> {
  return (await scanForProjects(folder, options)).projects;
}
