// Makes the fixtures several benches share (lib/shared-fixtures.ts), once per `npm run bench`:
// `fixtures.ts <folder> [--tree=N] [--history]` writes the scale workspace of N projects into
// <folder>/tree and, with --history, a million-event vigil.db about its first 50 projects
// into <folder>/history. Prints one line `FIXTURES {...}` (folders and times). run.mjs owns the
// folder and removes it when the run ends, however it ends.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_EVENTS, HISTORY_PROJECTS, makeHistory, makeTree } from './lib/shared-fixtures';

const [out, ...flags] = process.argv.slice(2);
if (!out) {
  console.error('usage: fixtures.ts <folder> [--tree=N] [--history]');
  process.exit(2);
}
const treeArg = flags.find((f) => f.startsWith('--tree='));
const withHistory = flags.includes('--history');
const projects = Math.max(Number(treeArg?.slice('--tree='.length) ?? 0), withHistory ? HISTORY_PROJECTS : 0);

const result: Record<string, unknown> = {};
if (projects > 0) {
  const treeDir = join(out, 'tree');
  mkdirSync(treeDir, { recursive: true });
  const tree = makeTree(treeDir, projects);
  Object.assign(result, { tree: treeDir, projects, files: tree.projects.reduce((n, p) => n + p.fileCount, 0), treeMs: Math.round(tree.generatedMs) });
  if (withHistory) {
    const historyDir = join(out, 'history');
    const started = performance.now();
    const history = await makeHistory(
      historyDir,
      tree.projects.slice(0, HISTORY_PROJECTS).map((p) => p.root),
      HISTORY_EVENTS,
    );
    Object.assign(result, { history: historyDir, events: history.seeded.events, historyMs: Math.round(performance.now() - started) });
  }
}
console.log(`FIXTURES ${JSON.stringify(result)}`);
