// Reading one project file: what comes back for a file, a link, a FIFO, a folder, a file too
// big, and a file that is gone. Real files in a temp folder.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadProjectFiles, loadProjectFilesInSlices, readProjectFile, signatureOf, type LoadedFile } from '../../../main/engine/loader';
import { readSlots } from '../../../main/engine/read-slots';
import { ProjectScope } from '../../../main/engine/scope';
import { ADAPTERS } from '../../../main/sources/index';
import { speckitFeature, taskmasterTasks, tempDir, writeFiles } from './live-helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function folder(): string {
  const dir = tempDir('vigil-loader-');
  cleanups.push(dir.remove);
  return dir.path;
}

describe('readProjectFile', () => {
  test('a file comes back with its text, a hash and the signature lstat gives (what the drift sweep compares)', async () => {
    const root = folder();
    const abs = join(root, 'tasks.md');
    writeFileSync(abs, '- [x] T001 done\n');
    const read = await readProjectFile(root, 'tasks.md');
    expect(read).toMatchObject({ kind: 'read', text: '- [x] T001 done\n' });
    expect(read.kind === 'read' && read.signature).toEqual(signatureOf(lstatSync(abs)));
    const again = await readProjectFile(root, 'tasks.md');
    expect(again.kind === 'read' && again.hash).toBe(read.kind === 'read' && read.hash);
  });

  test('an empty file and a file larger than the first buffer are read whole', async () => {
    const root = folder();
    writeFileSync(join(root, 'empty.md'), '');
    const big = 'x'.repeat(300_000);
    writeFileSync(join(root, 'big.md'), big);
    expect(await readProjectFile(root, 'empty.md')).toMatchObject({ kind: 'read', text: '' });
    const read = await readProjectFile(root, 'big.md');
    expect(read.kind === 'read' && read.text.length).toBe(big.length);
  });

  test('a symlink is not followed, even to a real file, and is reported as a file Vigil cannot read', async () => {
    const root = folder();
    const outside = folder();
    writeFileSync(join(outside, 'secret.md'), 'secret');
    symlinkSync(join(outside, 'secret.md'), join(root, 'tasks.md'));
    const read = await readProjectFile(root, 'tasks.md');
    expect(read).toEqual({
      kind: 'unreadable',
      signature: signatureOf(lstatSync(join(root, 'tasks.md'))),
      message: expect.stringMatching(/^tasks\.md is a symbolic link; Vigil does not follow links/),
    });
    expect(JSON.stringify(read)).not.toContain('secret');
  });

  test('a folder on the way that is a symlink out of the root is not followed', async () => {
    const root = folder();
    const outside = folder();
    mkdirSync(join(outside, 'working'));
    writeFileSync(join(outside, 'working', 'plan.json'), '{"secret": true}');
    symlinkSync(outside, join(root, 'coderef'));
    expect(await readProjectFile(root, 'coderef/working/plan.json')).toEqual({ kind: 'missing' });
  });

  test('a FIFO is not read and does not block the read', async () => {
    const root = folder();
    execFileSync('mkfifo', [join(root, 'tasks.md')]);
    expect(await readProjectFile(root, 'tasks.md')).toEqual({ kind: 'missing' });
  });

  test('a folder and a file that is gone are missing', async () => {
    const root = folder();
    mkdirSync(join(root, 'tasks.md'));
    expect(await readProjectFile(root, 'tasks.md')).toEqual({ kind: 'missing' });
    expect(await readProjectFile(root, 'gone.md')).toEqual({ kind: 'missing' });
  });

  test('a file over the cap is reported with its size, not read', async () => {
    const root = folder();
    writeFileSync(join(root, 'tasks.md'), 'x'.repeat(2048));
    const read = await readProjectFile(root, 'tasks.md', 1024);
    expect(read).toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/tasks\.md is 2 KiB, over the 1 KiB/) });
    expect(read.kind === 'unreadable' && read.signature?.size).toBe(2048);
  });

  test('a read is answered before its handle is closed; the handle is closed right after, its read slot held until then', async () => {
    const root = folder();
    const abs = join(root, 'tasks.md');
    writeFileSync(abs, '- [ ] T001 todo\n');
    const openOnIt = (): number =>
      process.platform === 'linux'
        ? readdirSync('/proc/self/fd').filter((fd) => {
            try {
              return readlinkSync(`/proc/self/fd/${fd}`) === abs;
            } catch {
              return false;
            }
          }).length
        : 0;
    // The slots are shared: a read of an earlier test may still be closing on a loaded machine.
    await expect.poll(() => readSlots.inUse, { timeout: 5000 }).toBe(0);
    const read = await readProjectFile(root, 'tasks.md');
    expect(read).toMatchObject({ kind: 'read', text: '- [ ] T001 todo\n' });
    // The close is under way, not awaited by the reader: its slot is still taken.
    expect(readSlots.inUse).toBe(1);
    await expect.poll(() => readSlots.inUse, { timeout: 5000 }).toBe(0);
    expect(openOnIt()).toBe(0);
  });
});

describe('loadProjectFilesInSlices (the first load)', () => {
  const scope = new ProjectScope(ADAPTERS);
  /** What a load amounts to, by file: the read's kind, text or message, and the model change. */
  const outcome = (files: LoadedFile[]) =>
    Object.fromEntries(
      files.map(({ rel, read, change }) => [
        rel,
        { kind: read.kind, text: read.kind === 'read' ? read.text : undefined, message: read.kind === 'unreadable' ? read.message : undefined, change: change.kind },
      ]),
    );

  test('finds, reads and parses what the thread-pool load does, links, pipes and oversized files included', async () => {
    const root = folder();
    const outside = folder();
    writeFileSync(join(outside, 'secret.md'), '- [ ] T001 secret\n');
    mkdirSync(join(outside, 'specs', '009-away'), { recursive: true });
    writeFileSync(join(outside, 'specs', '009-away', 'tasks.md'), '- [ ] T001 away secret\n');
    writeFiles(root, {
      ...speckitFeature([true, false, false]),
      '.taskmaster/tasks/tasks.json': taskmasterTasks(['done', 'pending']),
      'specs/002-big/tasks.md': `- [ ] T001 big\n${'x'.repeat(4096)}`,
      'specs/003-pipe/spec.md': '# Pipe\n',
      'src/index.ts': 'export {};\n',
    });
    mkdirSync(join(root, 'specs', '004-linked'));
    symlinkSync(join(outside, 'secret.md'), join(root, 'specs', '004-linked', 'tasks.md'));
    symlinkSync(join(outside, 'specs', '009-away'), join(root, 'specs', '009-away'));
    execFileSync('mkfifo', [join(root, 'specs', '003-pipe', 'tasks.md')]);

    const inSlices = await loadProjectFilesInSlices(root, scope, { maxFileBytes: 1024 });
    const pooled = await loadProjectFiles(root, scope, { maxFileBytes: 1024 });
    expect(outcome(inSlices)).toEqual(outcome(pooled));
    const byRel = outcome(inSlices);
    expect(byRel['specs/001-user-login/tasks.md']).toMatchObject({ kind: 'read', change: 'parsed' });
    expect(byRel['.taskmaster/tasks/tasks.json']).toMatchObject({ kind: 'read', change: 'parsed' });
    expect(byRel['specs/002-big/tasks.md']?.message).toMatch(/is 4 KiB, over the 1 KiB Vigil reads/);
    expect(byRel['specs/004-linked/tasks.md']?.message).toMatch(/is a symbolic link; Vigil does not follow links/);
    // A FIFO is no file to list (and were it listed, the open would refuse it without waiting).
    expect(byRel['specs/003-pipe/tasks.md']).toBeUndefined();
    // A folder linked out of the project is not entered; no file read for it holds what lies outside.
    expect(Object.keys(byRel).some((rel) => rel.startsWith('specs/009-away'))).toBe(false);
    expect(byRel['src/index.ts']).toBeUndefined();
    expect(JSON.stringify(inSlices)).not.toContain('secret');
  });

  test('takes a folder\'s entries from the listing it is given (the watches\' arming), and lists the folders missing from it', async () => {
    const root = folder();
    writeFiles(root, {
      ...speckitFeature(),
      'specs/002-search/tasks.md': '- [ ] T001 index\n',
      '.taskmaster/tasks/tasks.json': taskmasterTasks(['pending']),
    });
    // As if specs held only 001-user-login, and it only its spec, when their watches were set:
    // what came after the listing is their watches' to report. .taskmaster and the folders
    // below it are not in the listing: the load lists them itself.
    const listing = new Map([
      ['', readdirSync(root, { withFileTypes: true })],
      ['specs', readdirSync(join(root, 'specs'), { withFileTypes: true }).filter((entry) => entry.name === '001-user-login')],
      ['specs/001-user-login', readdirSync(join(root, 'specs/001-user-login'), { withFileTypes: true }).filter((entry) => entry.name === 'spec.md')],
    ]);
    const loaded = await loadProjectFilesInSlices(root, scope, { listing });
    expect(loaded.map((file) => file.rel).sort()).toEqual(['.taskmaster/tasks/tasks.json', 'specs/001-user-login/spec.md']);
    const whole = await loadProjectFilesInSlices(root, scope);
    expect(whole.map((file) => file.rel).sort()).toEqual(['.taskmaster/tasks/tasks.json', 'specs/001-user-login/plan.md', 'specs/001-user-login/spec.md', 'specs/001-user-login/tasks.md', 'specs/002-search/tasks.md']);
  });

  test('the reads leave no descriptor open, and a large project gives the event loop turns while it loads', async () => {
    const root = folder();
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`backlog/tasks/task-${i} - Task ${i}.md`] = `---\nid: task-${i}\ntitle: Task ${i}\nstatus: To Do\n---\n`;
    writeFiles(root, files);
    const openUnder = (): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(root);
        } catch {
          return false;
        }
      }).length;
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const loaded = await loadProjectFilesInSlices(root, scope);
    const turnsDuringLoad = turns;
    ticking = false;
    expect(loaded.filter((f) => f.read.kind === 'read')).toHaveLength(3000);
    // 3000 opens, reads and parses take far longer than one slice on any machine.
    expect(turnsDuringLoad).toBeGreaterThan(2);
    if (process.platform === 'linux') expect(openUnder()).toBe(0);
  });
});
