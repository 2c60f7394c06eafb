// Which paths of a project Vigil looks at, and which adapter each file belongs to. The
// loader, the watcher and the drift sweep all ask this one module, so they never disagree
// about what is in scope: the folders the adapters declare (their `roots`, to their
// `depth`), the ancestors of nested roots (so `docs/sprint-artifacts` appearing later is
// seen through `docs`), and root-level files an adapter owns. Everything else — `src/`,
// `node_modules/`, 200k files of a monorepo — is never listed and never watched.
import { isTempOrLockName } from '../sources/text';
import type { SourceAdapter, SourceRoot } from '../sources/types';

/**
 * Folders never entered, wherever they sit: VCS data, dependencies, caches. Build output
 * (`dist`, `build`, `target`) is out of scope by construction: only convention folders and
 * the folders leading to them are ever entered.
 */
const SKIPPED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  '.venv',
  'venv',
  '__pycache__',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.parcel-cache',
  'coverage',
]);

export function isSkippedDirName(name: string): boolean {
  return SKIPPED_DIRS.has(name);
}

/** Where a root-relative path sits with respect to the convention folders. */
export type Placement =
  /** Inside a convention root (or the root folder itself), within its depth. */
  | { kind: 'inside'; root: SourceRoot; adapters: SourceAdapter[]; levels: number }
  /** A folder on the way to a convention root (`docs` for `docs/sprint-artifacts`). */
  | { kind: 'ancestor' }
  /** Nothing Vigil reads. */
  | { kind: 'outside' };

interface RootEntry {
  root: SourceRoot;
  adapters: SourceAdapter[];
}

export class ProjectScope {
  private readonly roots: RootEntry[];
  private readonly ancestors: Set<string>;
  private readonly owners = new Map<string, readonly SourceAdapter[]>();
  /** Each adapter's roots with their paths trimmed once, for `ownersOf`. */
  private readonly adapterRoots: { adapter: SourceAdapter; roots: SourceRoot[] }[];

  constructor(readonly adapters: readonly SourceAdapter[]) {
    this.adapterRoots = adapters.map((adapter) => ({ adapter, roots: adapter.roots.map((root) => ({ ...root, path: trimSlashes(root.path) })) }));
    const byPath = new Map<string, RootEntry>();
    for (const adapter of adapters) {
      for (const root of adapter.roots) {
        const path = trimSlashes(root.path);
        const existing = byPath.get(path);
        if (!existing) {
          byPath.set(path, { root: { ...root, path }, adapters: [adapter] });
          continue;
        }
        existing.adapters.push(adapter);
        // Two adapters sharing a folder: watch as deep as the deeper one needs.
        existing.root = { path, depth: deeper(existing.root.depth, root.depth) };
      }
    }
    this.roots = [...byPath.values()];
    this.ancestors = new Set();
    for (const { root } of this.roots) {
      const parts = root.path.split('/');
      for (let i = 1; i < parts.length; i++) this.ancestors.add(parts.slice(0, i).join('/'));
    }
  }

  /** Every convention root folder, root-relative. */
  rootPaths(): string[] {
    return this.roots.map((r) => r.root.path);
  }

  /** Convention roots with the depth to walk them, shallowest first (so a nested root is walked once). */
  rootsToWalk(): SourceRoot[] {
    return this.roots.map((r) => r.root).sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  }

  /**
   * Where `rel` sits. `rel` uses forward slashes; '' is the project root. A path inside two
   * nested roots (`docs` and `docs/stories`) is placed in the innermost one.
   */
  place(rel: string): Placement {
    if (rel === '') return { kind: 'ancestor' };
    let best: RootEntry | null = null;
    for (const entry of this.roots) {
      const p = entry.root.path;
      if (rel === p || rel.startsWith(`${p}/`)) {
        if (!best || p.length > best.root.path.length) best = entry;
      }
    }
    if (best) {
      const below = rel === best.root.path ? 0 : rel.slice(best.root.path.length + 1).split('/').length;
      return { kind: 'inside', root: best.root, adapters: best.adapters, levels: below };
    }
    if (this.ancestors.has(rel)) return { kind: 'ancestor' };
    return { kind: 'outside' };
  }

  /**
   * Should a walker or watcher enter the folder `rel`? Convention roots and everything in
   * them down to `depth`, and the folders on the way to a root.
   */
  entersDir(rel: string): boolean {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isSkippedDirName(name)) return false;
    if (this.ancestors.has(rel)) return true;
    const placement = this.place(rel);
    if (placement.kind === 'ancestor') return true;
    if (placement.kind === 'outside') return false;
    // A folder `levels` below its root can be entered while its children stay within depth:
    // depth 0 means the root's own files only.
    const depth = placement.root.depth;
    return depth === undefined || placement.levels <= depth;
  }

  /** Is the file `rel` in scope (inside a root within depth, or owned at the project root)? */
  seesFile(rel: string): boolean {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isTempOrLockName(name)) return false;
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? '' : rel.slice(0, slash);
    if (parent === '') return this.ownersOf(rel).length > 0;
    return this.entersDir(parent) && this.place(parent).kind === 'inside';
  }

  /**
   * Does the watcher need a watch on the file `rel`? Files an adapter parses, and logs (`*.log`)
   * a person may tail. Other files in a convention folder (a `specs/` full of test files) cost
   * no watch of their own: their folder's watch still reports activity in it.
   */
  watchesFile(rel: string): boolean {
    if (!this.seesFile(rel)) return false;
    return rel.endsWith('.log') || this.ownersOf(rel).length > 0;
  }

  /**
   * The adapters that parse the file `rel`: it sits under one of their roots and they own it.
   * Asked for every file event, read and listing (thousands at once in a burst), and the answer
   * depends on the path alone: it is remembered.
   */
  ownersOf(rel: string): readonly SourceAdapter[] {
    const known = this.owners.get(rel);
    if (known) return known;
    const owners = this.findOwners(rel);
    if (this.owners.size >= REMEMBERED_OWNERS) this.owners.clear();
    this.owners.set(rel, owners);
    return owners;
  }

  private findOwners(rel: string): readonly SourceAdapter[] {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isTempOrLockName(name)) return NO_OWNERS;
    const owners: SourceAdapter[] = [];
    for (const { adapter, roots } of this.adapterRoots) {
      if (!underAnyRoot(roots, rel)) {
        // Root-level files (`projects.json`) are routed by `owns` alone.
        if (rel.includes('/')) continue;
      }
      let owned = false;
      try {
        owned = adapter.owns(rel);
      } catch {
        owned = false;
      }
      if (owned) owners.push(adapter);
    }
    return owners.length === 0 ? NO_OWNERS : owners;
  }
}

const NO_OWNERS: readonly SourceAdapter[] = Object.freeze([]);
/** Paths whose owners are remembered before the memory starts over (a few MB at most). */
const REMEMBERED_OWNERS = 50_000;

function underAnyRoot(roots: readonly SourceRoot[], rel: string): boolean {
  for (const root of roots) {
    const p = root.path;
    if (rel === p || rel.startsWith(`${p}/`)) {
      if (root.depth === undefined) return true;
      const levels = rel.slice(p.length + 1).split('/').length;
      if (levels <= root.depth + 1) return true;
    }
  }
  return false;
}

function deeper(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return Math.max(a, b);
}

function trimSlashes(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/^\/+|\/+$/g, '');
}

/** Root-relative, forward-slash form of an absolute path under `root` ('' for the root; null outside). */
export function toRel(root: string, abs: string, sep: string): string | null {
  if (abs === root) return '';
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (!abs.startsWith(prefix)) return null;
  const rel = abs.slice(prefix.length);
  return sep === '/' ? rel : rel.split(sep).join('/');
}
