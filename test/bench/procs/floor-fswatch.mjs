// Latency floor: raw fs.watch on each folder that holds a plan file, and a synchronous read on
// every event. No debounce, no parse, no transport: nothing can be faster and still be right.
import { watch, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs, push, serveRequests } from './ipc.mjs';

/** path → { id, text } the next write must leave on disk. */
const pending = new Map();
const watchers = [];

function check(path) {
  const want = pending.get(path);
  if (!want) return;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return; // between unlink and rename: the next event reads it
  }
  if (text === want.text) {
    pending.delete(path);
    push({ type: 'delivered', id: want.id, t: nowMs() });
  }
}

serveRequests({
  watch(msg) {
    for (const dir of msg.dirs) {
      watchers.push(watch(dir, (_event, name) => name && check(join(dir, name.toString()))));
    }
    return { watches: watchers.length };
  },
  expect(msg) {
    pending.set(msg.path, { id: msg.id, text: msg.text });
    return {};
  },
  close() {
    for (const w of watchers) w.close();
    return {};
  },
});
push({ type: 'ready' });
