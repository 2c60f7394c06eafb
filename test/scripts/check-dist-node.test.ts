// `npm run dist` checks the Node version before electron-builder starts, and says what to do.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import pkg from '../../package.json';
// @ts-expect-error: a plain .mjs script without type declarations
import { distNodeProblem } from '../../scripts/check-dist-node.mjs';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-dist-node.mjs', import.meta.url));

test('installers need Node 22.13 or newer; older Node gets one clear paragraph', () => {
  expect(distNodeProblem('22.13.0')).toBe(null);
  expect(distNodeProblem('24.1.0')).toBe(null);
  expect(distNodeProblem('22.12.0')).toContain('Building installers needs Node 22.13 or newer');
  expect(distNodeProblem('20.19.0')).toContain('this is Node 20.19.0');
  expect(distNodeProblem('20.19.0')).toContain('`npm start`, `npm run serve` and `npm test` work as they are');
});

test('npm run dist runs the check first, and the check exits 1 with the paragraph on this Node when it is too old', async () => {
  expect(pkg.scripts.dist.startsWith('node scripts/check-dist-node.mjs && ')).toBe(true);
  const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [SCRIPT], (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr })),
  );
  const problem = distNodeProblem(process.versions.node) as string | null;
  expect(result).toEqual(problem ? { code: 1, stderr: `${problem}\n` } : { code: 0, stderr: '' });
});
