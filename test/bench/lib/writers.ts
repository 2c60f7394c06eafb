// The ways agents and editors put a file on disk. Each one is a different sequence of
// inotify events, and a watcher must end up with the final content after every one of them.
import { open, rename, writeFile } from 'node:fs/promises';
import { sleep } from './clock';

export const WRITER_STYLES = ['writeFile', 'writer-process', 'chunked', 'rename'] as const;
export type WriterStyle = (typeof WRITER_STYLES)[number];

export const CHUNKS = 10;
export const CHUNK_GAP_MS = 3;

/** One writeFile call: truncate + write + close. */
export async function writeWhole(path: string, text: string): Promise<void> {
  await writeFile(path, text);
}

/**
 * Ten chunks a few ms apart, the way a streaming writer or a slow editor saves: the file is
 * empty, then partial, for ~30 ms. A watcher that reads on the first event sees garbage.
 */
export async function writeChunked(path: string, text: string, chunks = CHUNKS, gapMs = CHUNK_GAP_MS): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const size = Math.ceil(text.length / chunks);
    for (let i = 0; i < chunks; i++) {
      await handle.write(text.slice(i * size, (i + 1) * size));
      if (i < chunks - 1) await sleep(gapMs);
    }
  } finally {
    await handle.close();
  }
}

let tempCounter = 0;
/** Atomic save: write a sibling temp file, then rename it over the target (write-file-atomic, most editors). */
export async function writeViaRename(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${tempCounter++}`;
  await writeFile(temp, text);
  await rename(temp, path);
}
