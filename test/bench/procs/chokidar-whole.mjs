// Scale baseline: chokidar watching whole project roots, the way peers do (every file, every
// folder, node_modules and .git included). Reports when its initial scan is done.
import chokidar from 'chokidar';
import { nowMs, push, serveRequests } from './ipc.mjs';

let watcher = null;
let events = 0;
let errors = 0;

serveRequests({
  async watch(msg) {
    const start = nowMs();
    watcher = chokidar.watch(msg.roots, { ignoreInitial: true });
    watcher.on('all', () => events++);
    watcher.on('error', () => errors++);
    await new Promise((resolve) => watcher.once('ready', resolve));
    return { readyMs: nowMs() - start, at: nowMs(), errors };
  },
  counters() {
    return { events, errors };
  },
  async close() {
    await watcher?.close();
    return {};
  },
});
push({ type: 'ready', at: nowMs() });
