// The scale workspace: projects the size real ones are (source tree, node_modules, .git,
// build output) with planning-convention folders inside. Written with synchronous calls in one
// pass, folders first: 200k small files take seconds, not minutes. The layout is a pure
// function of the counts, so a bench handed a tree another process wrote (lib/shared-fixtures)
// describes it again without touching the disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONVENTIONS, companions, type Convention } from './conventions';

export interface TreeProject {
  root: string;
  /** Convention files by relative path (what the engine must parse). */
  planningFiles: Map<string, string>;
  fileCount: number;
  dirCount: number;
}

// Bulk files are empty: neither a watcher nor Vigil reads them, and 200k data blocks would turn
// seconds of generating into minutes on a busy disk. Watch costs depend on paths, not bytes.
const SOURCE = '';
const LIB = '';
const OBJECT = '';

interface ProjectLayout extends TreeProject {
  /** Every file, relative path → text. */
  entries: [string, string][];
  dirs: Set<string>;
}

/** One project of exactly `files` files, as it will be on disk. */
function layoutProject(root: string, files: number, conventions: Convention[]): ProjectLayout {
  const dirs = new Set<string>();
  const entries: [string, string][] = [];
  const add = (rel: string, text: string) => {
    entries.push([rel, text]);
    dirs.add(dirname(rel));
  };
  const planningFiles = new Map<string, string>();
  add('package.json', '{ "name": "bench-project", "version": "1.0.0" }\n');
  add('README.md', '# A project of the scale bench\n');
  add('.gitignore', 'node_modules\ndist\n');
  add('tsconfig.json', '{ "compilerOptions": { "strict": true } }\n');
  for (const c of conventions) {
    const plans = 8;
    const planning: Record<string, string> = { ...c.scaffold('scale', plans) };
    for (let i = 0; i < plans; i++) {
      const spec = c.planFile(i, plans);
      planning[spec.rel] = spec.render(spec.states);
      Object.assign(planning, companions(c.source, spec.rel, spec.states[0]!.title));
    }
    for (const [rel, text] of Object.entries(planning)) {
      add(rel, text);
      planningFiles.set(rel, text);
    }
  }
  // The rest split as real repositories are: a third source, half dependencies, the rest .git and build output.
  const remaining = files - entries.length;
  const gitFiles = Math.floor(remaining * 0.15);
  const distFiles = Math.floor(remaining * 0.05);
  const srcFiles = Math.floor(remaining * 0.3);
  const nodeModulesFiles = remaining - gitFiles - distFiles - srcFiles;
  for (let i = 0; i < srcFiles; i++) add(`src/area${i % 5}/module${Math.floor(i / 5) % 25}/file${i}.ts`, SOURCE);
  for (let i = 0; i < nodeModulesFiles; i++) {
    const pkg = `node_modules/pkg-${Math.floor(i / 30)}`;
    const k = i % 30;
    add(k === 0 ? `${pkg}/package.json` : k < 15 ? `${pkg}/lib/part${k}.js` : `${pkg}/dist/esm/part${k}.js`, LIB);
  }
  for (let i = 0; i < gitFiles; i++) add(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/${i.toString(16).padStart(38, '0')}`, OBJECT);
  for (let i = 0; i < distFiles; i++) add(`dist/chunk-${i % 10}/part${i}.js`, LIB);

  return { root, planningFiles, fileCount: entries.length, dirCount: countDirs(dirs), entries, dirs };
}

/** Folders including every ancestor of a listed one. */
function countDirs(dirs: Set<string>): number {
  const all = new Set<string>();
  for (let d of dirs) {
    while (d && d !== '.' && !all.has(d)) {
      all.add(d);
      d = dirname(d);
    }
  }
  return all.size + 1; // the root itself
}

function layoutTree(dir: string, projects: number, filesPerProject: number): ProjectLayout[] {
  const out: ProjectLayout[] = [];
  for (let i = 0; i < projects; i++) {
    const conventions = [CONVENTIONS[i % CONVENTIONS.length]!];
    if (i % 2 === 1) conventions.push(CONVENTIONS[(i + 3) % CONVENTIONS.length]!);
    out.push(layoutProject(join(dir, `project-${String(i + 1).padStart(2, '0')}`), filesPerProject, conventions));
  }
  return out;
}

const described = ({ root, planningFiles, fileCount, dirCount }: ProjectLayout): TreeProject => ({ root, planningFiles, fileCount, dirCount });

/**
 * `projects` projects, each with one or two conventions (a rotation over all of them), written
 * into `dir`. The first N projects of a larger tree are the N of a smaller one.
 */
export function writeTree(dir: string, projects: number, filesPerProject: number): TreeProject[] {
  return layoutTree(dir, projects, filesPerProject).map((project) => {
    for (const folder of project.dirs) mkdirSync(join(project.root, folder), { recursive: true });
    for (const [rel, text] of project.entries) writeFileSync(join(project.root, rel), text);
    return described(project);
  });
}

/** The first `projects` projects of a tree `writeTree` wrote into `dir`, without reading or writing it. */
export function describeTree(dir: string, projects: number, filesPerProject: number): TreeProject[] {
  return layoutTree(dir, projects, filesPerProject).map(described);
}
