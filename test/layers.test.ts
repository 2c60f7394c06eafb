// The layers allow-list (eslint.layers.js) run by ESLint over a small project folder written
// here: one file per layer rule with one forbidden import and one allowed import. Each
// forbidden import must be reported, on its own line, and no allowed one.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, expect, test } from 'vitest';

// The same module eslint.config.js spreads in (plain JS, so typed here).
const { layers } = (await import('../eslint.layers.js' as string)) as { layers: Linter.Config[] };

/** Files every case imports from: one per folder. */
const TARGETS = [
  'shared/model.ts',
  'shared/ipc-channels.ts',
  'main/sources/gsd.ts',
  'main/engine/engine.ts',
  'main/store/journal.ts',
  'main/runs/supervisor.ts',
  'main/session/session.ts',
  'main/server/server.ts',
  'main/desktop/tray-state.ts',
  'main/demo/agent.ts',
  'main/electron/window.ts',
  'main/commands/serve.ts',
  'renderer/store/app-store.ts',
];

/** The file, what it may import, and the one import it may not (which rule says so). */
const CASES: { file: string; allowed: string; forbidden: string; rule: string }[] = [
  { file: 'shared/protocol.ts', allowed: './model', forbidden: '../main/engine/engine', rule: 'shared imports nothing of ours' },
  { file: 'main/sources/bmad.ts', allowed: '../../shared/model', forbidden: '../engine/engine', rule: 'sources import only shared' },
  { file: 'main/engine/hub.ts', allowed: '../store/journal', forbidden: '../session/session', rule: 'the engine stays below the session' },
  { file: 'main/runs/queue.ts', allowed: '../engine/engine', forbidden: '../server/server', rule: 'runs stay below the session' },
  { file: 'main/session/fanout.ts', allowed: '../runs/supervisor', forbidden: '../server/server', rule: 'the session knows no transport' },
  { file: 'main/server/socket.ts', allowed: '../session/session', forbidden: '../desktop/tray-state', rule: 'the server never imports the desktop' },
  { file: 'main/desktop/window-session.ts', allowed: '../session/session', forbidden: '../server/server', rule: 'the desktop never imports the server' },
  { file: 'main/demo/start-demo.ts', allowed: '../engine/engine', forbidden: '../session/session', rule: 'the demo writes files for the engine only' },
  { file: 'main/electron/app.ts', allowed: '../server/server', forbidden: '../../renderer/store/app-store', rule: 'main never imports the renderer' },
  { file: 'main/commands/watch.ts', allowed: '../session/session', forbidden: '../electron/window', rule: 'commands never import electron glue' },
  { file: 'preload/index.ts', allowed: '../shared/ipc-channels', forbidden: '../shared/model', rule: 'the preload loads only the channel names' },
  { file: 'renderer/store/live-model.ts', allowed: '../../shared/model', forbidden: '../../main/session/session', rule: 'the renderer imports shared only' },
];

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vigil-layers-'));
  const write = async (rel: string, text: string): Promise<void> => {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  };
  for (const target of TARGETS) await write(target, 'export const value = 1;\n');
  for (const { file, allowed, forbidden } of CASES) {
    await write(file, `import { value as a } from '${allowed}';\nimport { value as b } from '${forbidden}';\nexport const sum = a + b;\n`);
  }
  // A type-only import from shared is allowed in the preload.
  await write('preload/types.ts', `import type { value } from '../shared/model';\nexport type Value = typeof value;\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('each forbidden import is reported on its line, and no allowed one', { timeout: 60_000 }, async () => {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [tseslint.configs.base, ...layers, { settings: { 'boundaries/root-path': root } }],
  });
  const results = await eslint.lintFiles(['**/*.ts']);
  const reported = new Map<string, number[]>();
  for (const result of results) {
    const rel = result.filePath.slice(root.length + 1);
    const lines = result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.line);
    if (lines.length > 0) reported.set(rel, lines);
    expect(result.messages.filter((m) => m.fatal), rel).toEqual([]);
  }
  for (const { file, rule } of CASES) expect(reported.get(file), `${file}: ${rule}`).toEqual([2]);
  expect(reported.get('preload/types.ts')).toBeUndefined();
  expect([...reported.keys()].sort()).toEqual(CASES.map((c) => c.file).sort());
});
