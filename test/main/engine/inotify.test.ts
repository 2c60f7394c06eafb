// The Linux folder watch that says when a writer finished a file: real folders, real writers
// (this process and child processes), the kernel's own events.
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Inotify, openInotify, WATCH_LOST, type FolderEventKind, type FolderWatch } from '../../../main/engine/inotify';
import { inotifyDescriptors, tempDir, waitUntil } from './live-helpers';

interface Heard {
  event: FolderEventKind;
  name: string | null;
  complete: boolean;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function folder(): string {
  const dir = tempDir('vigil-inotify-');
  cleanups.push(dir.remove);
  return dir.path;
}

function listen(abs: string): { heard: Heard[]; errors: Error[]; watch: FolderWatch } {
  const inotify = openInotify();
  if (!inotify) throw new Error('no inotify on this Linux machine');
  const heard: Heard[] = [];
  const errors: Error[] = [];
  const watch = inotify.watch(abs, (event, name, complete) => heard.push({ event, name, complete }), (err) => errors.push(err));
  cleanups.push(() => watch.close());
  return { heard, errors, watch };
}


describe.runIf(process.platform === 'linux')('inotify folder watch', () => {
  test('is what Linux uses (koffi loads here), unless VIGIL_WATCH=fs asks for fs.watch', () => {
    expect(openInotify()).not.toBeNull();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./main/engine/inotify.ts').then((m) => process.stdout.write(String(m.openInotify() !== null)))"],
      { env: { ...process.env, VIGIL_WATCH: 'fs' }, encoding: 'utf8' },
    );
    expect(child.stdout).toBe('false');
  });

  test('a write is a change; only the writer closing the file says it is complete', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'tasks.md'), '- [ ] T001\n');
    const { heard } = listen(dir);
    const fd = openSync(join(dir, 'tasks.md'), 'w');
    writeSync(fd, '- [x] T001\n');
    writeSync(fd, '- [ ] T002\n');
    // The kernel folds identical events still queued into one: at least one change, maybe three.
    await waitUntil(() => heard.length >= 1, 5000, 'the truncate and the writes');
    expect(heard.every((h) => h.event === 'change' && h.name === 'tasks.md' && !h.complete)).toBe(true);
    closeSync(fd);
    await waitUntil(() => heard.some((h) => h.complete), 5000, 'the close');
    expect(heard.at(-1)).toEqual({ event: 'change', name: 'tasks.md', complete: true });
  });

  test('a rename into place is a rename, complete for the name it lands on', async () => {
    const dir = folder();
    const { heard } = listen(dir);
    writeFileSync(join(dir, 'plan.md.tmp'), '# Plan\n');
    renameSync(join(dir, 'plan.md.tmp'), join(dir, 'plan.md'));
    await waitUntil(() => heard.some((h) => h.name === 'plan.md'), 5000, 'the rename');
    expect(heard.filter((h) => h.name === 'plan.md')).toEqual([{ event: 'rename', name: 'plan.md', complete: true }]);
    expect(heard.find((h) => h.name === 'plan.md.tmp' && h.event === 'rename')).toEqual({ event: 'rename', name: 'plan.md.tmp', complete: false });
  });

  test('a writer in another process is heard the same way', async () => {
    const dir = folder();
    const { heard } = listen(dir);
    const child = spawnSync(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(join(dir, 'story.md'))}, 'Status: done\\n')`]);
    expect(child.status).toBe(0);
    await waitUntil(() => heard.some((h) => h.complete), 5000, 'the child closing the file');
    expect(heard.map((h) => h.event)).toContain('rename');
    expect(heard.at(-1)).toEqual({ event: 'change', name: 'story.md', complete: true });
  });

  test("the watched folder's own deletion is named by its own name, as fs.watch names it", async () => {
    const parent = folder();
    const dir = join(parent, 'specs');
    mkdirSync(dir);
    const { heard } = listen(dir);
    rmSync(dir, { recursive: true });
    await waitUntil(() => heard.some((h) => h.name === 'specs'), 5000, 'the folder deleted');
    expect(heard.find((h) => h.name === 'specs')?.event).toBe('rename');
  });

  test('a folder watched twice is heard by both watches; the read and the descriptor end once neither is left', async () => {
    const dir = folder();
    const before = inotifyDescriptors();
    const a = listen(dir);
    const b = listen(dir);
    expect(openInotify()?.watchCount).toBe(1);
    writeFileSync(join(dir, 'a.md'), 'x\n');
    await waitUntil(() => a.heard.some((h) => h.complete) && b.heard.some((h) => h.complete), 5000, 'both watches');
    a.watch.close();
    writeFileSync(join(dir, 'b.md'), 'y\n');
    await waitUntil(() => b.heard.some((h) => h.name === 'b.md' && h.complete), 5000, 'the remaining watch');
    expect(a.heard.some((h) => h.name === 'b.md')).toBe(false);
    b.watch.close();
    expect(openInotify()?.watchCount).toBe(0);
    // Removing the last watch wakes the pending read; then the descriptor is closed.
    await waitUntil(() => inotifyDescriptors() === before, 5000, 'the inotify descriptor to be closed');
  });

  test('a missing folder or a file throws with the code fs.watch would give', () => {
    const dir = folder();
    writeFileSync(join(dir, 'file.md'), 'x\n');
    const inotify = openInotify();
    expect(() => inotify?.watch(join(dir, 'missing'), () => undefined, () => undefined)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => inotify?.watch(join(dir, 'file.md'), () => undefined, () => undefined)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(inotify?.watchCount).toBe(0);
  });

  test('when the kernel says it dropped events (its queue overflowed), every watched folder hears an unnamed event', async () => {
    const dir = folder();
    // A stand-in for the kernel's queue that the test can fill: a FIFO, read the way the real
    // descriptor is. Removing a watch queues its IN_IGNORED, as the kernel does.
    const fifo = join(dir, 'queue');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const fd = openSync(fifo, 'r+');
    const record = (wd: number, mask: number): Buffer => {
      const event = Buffer.alloc(16);
      event.writeInt32LE(wd, 0);
      event.writeUInt32LE(mask, 4);
      return event;
    };
    const inotify = new Inotify({ init: () => fd, add: (_fd, path) => (path === '/' ? 2 : 1), remove: (_fd, wd) => writeSync(fd, record(wd, 0x8000)), errno: () => 0 });
    const heard: Heard[] = [];
    const watch = inotify.watch(dir, (event, name, complete) => heard.push({ event, name, complete }), () => undefined);
    writeSync(fd, record(-1, 0x4000));
    await waitUntil(() => heard.length > 0, 5000, 'the overflow');
    expect(heard).toEqual([{ event: 'rename', name: null, complete: false }]);
    watch.close();
    // The read wakes on the IN_IGNORED, and the descriptor is closed.
    await waitUntil(() => {
      try {
        fstatSync(fd);
        return false;
      } catch {
        return true;
      }
    }, 5000, 'the queue descriptor closed');
  });

  test('when the kernel drops events (its queue overflowed), every watched folder hears an unnamed event', async () => {
    const dir = folder();
    const { heard } = listen(dir);
    // spawnSync blocks this thread, so nothing reads the queue while the child raises more
    // events than it holds (two per append: the write and the close).
    const limit = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
    const child = spawnSync(process.execPath, ['-e', `const fs = require('fs'); for (let i = 0; i < ${limit}; i++) fs.appendFileSync(${JSON.stringify(join(dir, 'log.md'))}, 'x');`]);
    expect(child.status).toBe(0);
    await waitUntil(() => heard.some((h) => h.name === null), 10_000, 'the overflow');
    expect(heard.find((h) => h.name === null)).toEqual({ event: 'rename', name: null, complete: false });
  });

  test('a link to a folder is watched through only when asked to follow it', () => {
    const dir = folder();
    const outside = folder();
    symlinkSync(outside, join(dir, 'specs'));
    const inotify = openInotify();
    expect(() => inotify?.watch(join(dir, 'specs'), () => undefined, () => undefined, { followSymlink: false })).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    const followed = inotify?.watch(join(dir, 'specs'), () => undefined, () => undefined, { followSymlink: true });
    expect(inotify?.watchCount).toBe(1);
    followed?.close();
  });

  test('a descriptor that cannot be read loses every watch: each is told so, and the instance is not used again', async () => {
    const dir = folder();
    const errors: NodeJS.ErrnoException[] = [];
    // A folder's descriptor stands in for inotify's: the kernel refuses to read it (EISDIR).
    const inotify = new Inotify({ init: () => openSync(dir, 'r'), add: () => 1, remove: () => 0, errno: () => 0 });
    inotify.watch(dir, () => undefined, (err) => errors.push(err));
    await waitUntil(() => errors.length > 0, 5000, 'the failed read');
    expect(errors).toEqual([expect.objectContaining({ code: WATCH_LOST })]);
    expect(errors[0]?.cause).toMatchObject({ code: 'EISDIR' });
    expect(inotify.broken).toBe(true);
    expect(inotify.watchCount).toBe(0);
  });
});
