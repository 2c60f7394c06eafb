// dist/hook.cjs is what every agent hook call starts: it must load Node's built-ins and nothing
// else, since each package it requires from node_modules is read and compiled on every call
// (proper-lockfile with graceful-fs, pulled in through the config code, once cost ~35 ms a call).
import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs module without type declarations
import { hookBundle } from '../../scripts/bundles.mjs';

const BUILTINS = new Set(builtinModules);

test('the hook bundle, built as it ships, imports only Node built-ins', async () => {
  const result = await build({ ...hookBundle, write: false, metafile: true, logLevel: 'silent' });
  const outputs = Object.entries(result.metafile?.outputs ?? {}).filter(([path]) => path.endsWith('hook.cjs')).map(([, output]) => output);
  expect(outputs.length).toBe(1);
  const imports = outputs.flatMap((o) => o.imports.map((i) => i.path));
  expect(imports.length).toBeGreaterThan(0);
  const notBuiltin = imports.filter((path) => !path.startsWith('node:') && !BUILTINS.has(path));
  expect(notBuiltin).toEqual([]);
  // and what it bundles is Vigil's own code, no package inlined in its place
  const inputs = outputs.flatMap((o) => Object.keys(o.inputs));
  expect(inputs.filter((path) => path.includes('node_modules'))).toEqual([]);
});
