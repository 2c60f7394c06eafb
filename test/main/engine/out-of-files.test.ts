// A planning file changed while the process has no file descriptor free: the read is retried
// with back-off (the drift sweep is off here, so nothing else could repair it), health says
// Vigil ran out of open files and names the limit, and once descriptors are free again the
// change shows up. A real engine in a child process under `ulimit -n 512`.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/engine-out-of-files.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const tasksJson = (status: string): string => JSON.stringify({ master: { tasks: [{ id: 1, title: 'Ship it', status, subtasks: [] }] } });

test('a change read while no descriptor is free is retried, named in health, and applied once files are free', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vigil-emfile-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(join(root, '.taskmaster', 'tasks', 'tasks.json'), tasksJson('pending'));

  const child = spawn('/bin/sh', ['-c', 'ulimit -n 512 && exec "$0" "$@"', process.execPath, '--import', 'tsx', CHILD, root], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const steps = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (want: string): Promise<Record<string, unknown>> => {
    const { value, done } = await steps.next();
    if (done) throw new Error(`the child ended before "${want}"; stderr: ${stderr}`);
    const msg = JSON.parse(value as string) as Record<string, unknown>;
    expect(msg.step).toBe(want);
    return msg;
  };

  await next('ready');
  child.stdin.write('exhaust\n');
  await next('exhausted');
  await writeFile(join(root, '.taskmaster', 'tasks', 'tasks.json'), tasksJson('done'));
  child.stdin.write('watch-health\n');
  const health = await next('health');
  expect(health.message).toMatch(/ran out of open files \(the limit is 512\)/);
  expect(health.hint).toMatch(/ulimit -n 65536/);
  child.stdin.write('release\n');
  await next('released');
  expect(await next('applied')).toMatchObject({ status: 'done' });
}, 60_000);
