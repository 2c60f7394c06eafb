// Peer-style pipeline, as the tools in this field build it: chokidar on the whole workspace,
// a 500 ms trailing debounce, then read and parse. The debounce is per path, which is the
// generous reading (a global debounce would never fire while writes keep coming).
import { readFile } from 'node:fs/promises';
import chokidar from 'chokidar';
import { parse as parseYaml } from 'yaml';
import { nowMs, push, serveRequests } from './ipc.mjs';

const DEBOUNCE_MS = 500;
const pending = new Map();
const timers = new Map();
let watcher = null;

// Peers parse what they read; the figure must include it, and the parse must be real.
function parse(path, text) {
  try {
    if (path.endsWith('.json')) return JSON.parse(text);
    if (path.endsWith('.yaml') || path.endsWith('.yml')) return parseYaml(text);
    return { checked: (text.match(/^\s*[-*] \[[xX]\]/gm) ?? []).length, open: (text.match(/^\s*[-*] \[ \]/gm) ?? []).length };
  } catch {
    return null;
  }
}

async function process_(path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  parse(path, text);
  const want = pending.get(path);
  if (want && text === want.text) {
    pending.delete(path);
    push({ type: 'delivered', id: want.id, t: nowMs() });
  }
}

function schedule(path) {
  clearTimeout(timers.get(path));
  timers.set(path, setTimeout(() => {
    timers.delete(path);
    void process_(path);
  }, DEBOUNCE_MS));
}

serveRequests({
  async watch(msg) {
    watcher = chokidar.watch(msg.root, { ignoreInitial: true });
    watcher.on('add', schedule).on('change', schedule);
    await new Promise((resolve) => watcher.once('ready', resolve));
    return {};
  },
  expect(msg) {
    pending.set(msg.path, { id: msg.id, text: msg.text });
    return {};
  },
  async close() {
    for (const t of timers.values()) clearTimeout(t);
    await watcher?.close();
    return {};
  },
});
push({ type: 'ready' });
