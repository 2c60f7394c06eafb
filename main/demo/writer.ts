// Puts a demo project's files on disk the way real tools do: whole files through a temp file
// and a rename (so a watcher never reads half a file), logs by appending, and only what changed.
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export class ProjectWriter {
  private written = new Map<string, string>();
  private tempCounter = 0;

  constructor(readonly root: string) {}

  /** Make the disk match `files`: write new or changed files, delete the ones no longer listed. */
  async sync(files: Record<string, string>): Promise<number> {
    let changes = 0;
    for (const [rel, content] of Object.entries(files)) {
      if (this.written.get(rel) === content) continue;
      await this.writeAtomic(rel, content);
      this.written.set(rel, content);
      changes += 1;
    }
    for (const rel of [...this.written.keys()]) {
      if (rel in files) continue;
      await rm(join(this.root, rel), { force: true });
      this.written.delete(rel);
      changes += 1;
    }
    return changes;
  }

  async append(rel: string, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const path = join(this.root, rel);
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, lines.map((l) => `${l}\n`).join(''));
  }

  private async writeAtomic(rel: string, content: string): Promise<void> {
    const path = join(this.root, rel);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${++this.tempCounter}.tmp`;
    await writeFile(temp, content);
    await rename(temp, path);
  }
}
