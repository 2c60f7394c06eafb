// Opening a file for a client: only a regular file whose opened handle lies inside the root.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PathGuardError } from '../../../main/engine/path-guard';
import { openInsideRoot, readInsideRootSync, readRegularFile } from '../../../main/engine/safe-open';

let base: string;
let root: string;
let outside: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-open-')));
  root = join(base, 'project');
  outside = join(base, 'outside');
  await mkdir(join(root, 'logs'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.log'), 'secret\n');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function failure(rel: string): Promise<string> {
  try {
    const { handle } = await openInsideRoot(root, rel);
    await handle.close();
    return 'opened';
  } catch (err) {
    return err instanceof PathGuardError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'error');
  }
}

describe('openInsideRoot', () => {
  test('a regular file inside the root opens, with its stats', async () => {
    await writeFile(join(root, 'logs', 'run.log'), 'hello\n');
    const { handle, stats } = await openInsideRoot(root, 'logs/run.log');
    expect(stats.size).toBe(6);
    await handle.close();
  });

  test('a final symlink, a folder symlinked out, a FIFO, a folder and a missing file are refused, each for what it is', async () => {
    await symlink(join(outside, 'secret.log'), join(root, 'logs', 'link.log'));
    await symlink(outside, join(root, 'away'));
    execFileSync('mkfifo', [join(root, 'logs', 'pipe.log')]);
    expect(await failure('logs/link.log')).toBe('ELOOP');
    expect(await failure('away/secret.log')).toBe('outside_root');
    expect(await failure('logs/pipe.log')).toBe('not_regular');
    expect(await failure('logs')).toBe('not_regular');
    expect(await failure('logs/none.log')).toBe('ENOENT');
  });
});

describe('readInsideRootSync', () => {
  function syncFailure(rel: string): string {
    try {
      readInsideRootSync(root, rel, 1024);
      return 'read';
    } catch (err) {
      return err instanceof PathGuardError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'error');
    }
  }

  test('reads a regular file inside the root; over the cap it gives the stats and no bytes', async () => {
    await writeFile(join(root, 'logs', 'run.log'), 'hello\n');
    const read = readInsideRootSync(root, 'logs/run.log', 1024);
    expect(read.stats.size).toBe(6);
    expect(read.bytes?.toString('utf8')).toBe('hello\n');
    const capped = readInsideRootSync(root, 'logs/run.log', 4);
    expect(capped).toMatchObject({ bytes: null, stats: { size: 6 } });
  });

  test('refuses what openInsideRoot refuses, each for what it is, without blocking on a FIFO', async () => {
    await symlink(join(outside, 'secret.log'), join(root, 'logs', 'link.log'));
    await symlink(outside, join(root, 'away'));
    execFileSync('mkfifo', [join(root, 'logs', 'pipe.log')]);
    expect(syncFailure('logs/link.log')).toBe('ELOOP');
    expect(syncFailure('away/secret.log')).toBe('outside_root');
    expect(syncFailure('logs/pipe.log')).toBe('not_regular');
    expect(syncFailure('logs')).toBe('not_regular');
    expect(syncFailure('logs/none.log')).toBe('ENOENT');
  });
});

describe('readRegularFile', () => {
  async function outcome(path: string, followSymlink: boolean, maxBytes = 1024): Promise<string> {
    try {
      return (await readRegularFile(path, { maxBytes, followSymlink })).text;
    } catch (err) {
      return err instanceof PathGuardError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'error');
    }
  }

  test('reads a small regular file; a pipe, a folder, a missing or oversized file are refused without waiting', async () => {
    await writeFile(join(root, 'settings.json'), '{"hooks": {}}\n');
    execFileSync('mkfifo', [join(root, 'pipe.json')]);
    expect(await outcome(join(root, 'settings.json'), false)).toBe('{"hooks": {}}\n');
    expect(await outcome(join(root, 'pipe.json'), false)).toBe('not_regular');
    expect(await outcome(join(root, 'pipe.json'), true)).toBe('not_regular');
    expect(await outcome(join(root, 'logs'), false)).toBe('not_regular');
    expect(await outcome(join(root, 'none.json'), false)).toBe('ENOENT');
    expect(await outcome(join(root, 'settings.json'), false, 4)).toBe('not_regular');
  });

  test('a final symlink is refused unless following it was asked for', async () => {
    await symlink(join(outside, 'secret.log'), join(root, 'link.json'));
    expect(await outcome(join(root, 'link.json'), false)).toBe('ELOOP');
    expect(await outcome(join(root, 'link.json'), true)).toBe('secret\n');
  });
});
