// `vigil serve` loads as one file (dist/cli-serve.cjs, through its entry dist/cli-serve.js):
// each ES module Node loads costs it a resolve, a read and a link of its own, and serve's code
// split into the chunks it shares with the other commands took ~90 ms longer to import than the
// same code in one file. One CommonJS file can also be compiled from V8's code cache.
import { build } from 'esbuild';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs module without type declarations
import { cliBundle, serveBundle, serveEntryBundle } from '../../scripts/bundles.mjs';

interface Output {
  imports: { path: string; kind: string; external?: boolean }[];
  inputs: Record<string, unknown>;
}

async function outputsOf(options: object): Promise<Record<string, Output>> {
  const result = await build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  return Object.fromEntries(Object.entries(result.metafile?.outputs ?? {}).filter(([path]) => !path.endsWith('.map'))) as Record<string, Output>;
}

test('cli.js hands serve to its own whole bundle and the other commands to their chunks', async () => {
  const outputs = await outputsOf(cliBundle);
  const cli = Object.entries(outputs).find(([path]) => path.endsWith('dist/cli.js'))?.[1];
  expect(cli).toBeDefined();
  const dynamic = cli!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
  expect(dynamic).toContain('./cli-serve.js');
  expect(dynamic.some((path) => /cli-chunks\/scan-/.test(path))).toBe(true);
  expect(dynamic.some((path) => /cli-chunks\/serve-/.test(path))).toBe(false);
});

test('the serve bundle is one CommonJS file that requires only packages kept external and Node built-ins', async () => {
  const outputs = await outputsOf(serveBundle);
  expect(Object.keys(outputs)).toEqual([expect.stringMatching(/dist\/cli-serve\.cjs$/)]);
  const serve = Object.values(outputs)[0]!;
  expect(Object.keys(serve.inputs)).toContain('main/commands/serve.ts');
  expect(Object.keys(serve.inputs)).toContain('main/server/server.ts');
  const relative = serve.imports.filter((i) => i.path.startsWith('.') || i.path.startsWith('/'));
  expect(relative).toEqual([]);
});

test('the serve bundle is strict throughout, as the ES module build was, and knows its own URL without import.meta', async () => {
  const result = await build({ ...serveBundle, write: false, logLevel: 'silent' });
  const text = (result.outputFiles ?? []).find((file) => file.path.endsWith('cli-serve.cjs'))!.text;
  expect(text.startsWith('"use strict";\n')).toBe(true);
  expect(text).not.toContain('import.meta');
  expect(text).toContain('__vigilMetaUrl');
});

test("serve's entry is its own small file that imports Node built-ins only", async () => {
  const outputs = await outputsOf(serveEntryBundle('0123456789abcdef'));
  expect(Object.keys(outputs)).toEqual([expect.stringMatching(/dist\/cli-serve\.js$/)]);
  const entry = Object.values(outputs)[0]!;
  expect(Object.keys(entry.inputs).sort()).toEqual(['main/code-cache.ts', 'main/serve-entry.ts']);
  expect(entry.imports.every((i) => i.path.startsWith('node:'))).toBe(true);
});
