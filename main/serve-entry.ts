// What dist/cli.js runs for `vigil serve` (built as dist/cli-serve.js): the whole of serve,
// built as one CommonJS file (dist/cli-serve.cjs), compiled from V8's code cache when an
// earlier start of the same build left one (main/code-cache.ts). The first start of a build
// writes the cache a second after it is listening, when the first clients' hellos are sent.
import type * as Serve from './commands/serve';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, loadCommonJs } from './code-cache';

/** The content hash of dist/cli-serve.cjs, written in by the build (scripts/build.mjs). */
declare const VIGIL_SERVE_CODE_HASH: string;

const SAVE_AFTER_LISTENING_MS = 1000;

const serve = loadCommonJs<typeof Serve>(fileURLToPath(new URL('./cli-serve.cjs', import.meta.url)), {
  dir: defaultCacheDir(),
  name: 'serve',
  codeHash: VIGIL_SERVE_CODE_HASH,
});

export function run(args: string[]): Promise<number> {
  return serve.exports.run(args, {
    listening: () => void setTimeout(() => serve.save(), SAVE_AFTER_LISTENING_MS).unref(),
  });
}
