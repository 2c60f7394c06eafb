import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PathGuardError, isInside, resolveInside } from '../../../main/engine/path-guard';

let base: string;
let root: string;
let outside: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-guard-')));
  root = join(base, 'project');
  outside = join(base, 'project-secrets');
  await mkdir(join(root, 'coderef', 'working'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(root, 'coderef', 'workorder-log.txt'), 'WO-A-001 | p | x | 2026-01-01T00:00:00Z\n');
  await writeFile(join(outside, 'id_rsa'), 'secret\n');
  await symlink(outside, join(root, 'escape'));
  await symlink(join(outside, 'id_rsa'), join(root, 'key.log'));
  await symlink(join(outside, 'later.log'), join(root, 'dangling.log'));
  await symlink(join(root, 'coderef'), join(root, 'cr'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(PathGuardError);
    return (err as PathGuardError).code;
  }
}

describe('resolveInside', () => {
  test('a file inside the root resolves to its real path', async () => {
    expect(await resolveInside(root, 'coderef/workorder-log.txt')).toBe(join(root, 'coderef', 'workorder-log.txt'));
    expect(await resolveInside(root, './coderef/workorder-log.txt')).toBe(join(root, 'coderef', 'workorder-log.txt'));
  });

  test('.. traversal is refused, in either slash style', async () => {
    expect(await codeOf(resolveInside(root, '../project-secrets/id_rsa'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'coderef/../../project-secrets/id_rsa'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'coderef\\..\\..\\x'))).toBe('outside_root');
    await expect(resolveInside(root, '../x')).rejects.toThrow(/climbs out of the project root/);
  });

  test('absolute paths are refused, POSIX and Windows', async () => {
    expect(await codeOf(resolveInside(root, join(root, 'coderef/workorder-log.txt')))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, '/etc/passwd'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'C:\\Windows\\win.ini'))).toBe('outside_root');
  });

  test('a NUL byte is refused', async () => {
    expect(await codeOf(resolveInside(root, 'coderef/x\0.txt'))).toBe('invalid_path');
  });

  test('a symlink to a folder outside the root is an escape', async () => {
    expect(await codeOf(resolveInside(root, 'escape/id_rsa'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'escape'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'escape/not-yet-there.log'))).toBe('outside_root');
    expect(await codeOf(resolveInside(root, 'key.log'))).toBe('outside_root');
  });

  test('a dangling symlink pointing outside is an escape even before its target exists', async () => {
    expect(await codeOf(resolveInside(root, 'dangling.log'))).toBe('outside_root');
  });

  test('a symlink that stays inside the root is allowed', async () => {
    expect(await resolveInside(root, 'cr/workorder-log.txt')).toBe(join(root, 'coderef', 'workorder-log.txt'));
  });

  test('a file that does not exist yet inside the root is allowed, unless it must exist', async () => {
    expect(await resolveInside(root, 'coderef/working/new/run.log')).toBe(join(root, 'coderef', 'working', 'new', 'run.log'));
    expect(await codeOf(resolveInside(root, 'coderef/working/new/run.log', { mustExist: true }))).toBe('not_found');
  });

  test('a missing root says so', async () => {
    const err = await resolveInside(join(base, 'nope'), 'a.log').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathGuardError);
    expect((err as PathGuardError).code).toBe('not_found');
    expect((err as Error).message).toContain(join(base, 'nope'));
  });
});

describe('isInside', () => {
  test('a sibling whose name starts with the root name is not inside', () => {
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a/bc/d')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/x/a/b')).toBe(false);
  });

  test('the root itself and anything below it are inside', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c/d.log')).toBe(true);
    expect(isInside('/a/b', '/a/b/..hidden')).toBe(true);
    expect(isInside('/', '/etc')).toBe(true);
  });
});
