// Burst floor: one raw fs.watch on the folder and a synchronous read of every file it names,
// until `count` distinct files have been read — the least any watcher must do to see a burst.
// Also serves a bare /healthz, the latency floor of an HTTP answer on this machine meanwhile.
import { readFileSync, watch } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { nowMs, push, serveRequests } from './ipc.mjs';

let watcher = null;
const server = createServer((_req, res) => res.end('{"ok":true}'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

serveRequests({
  port() {
    return { port: server.address().port };
  },
  expect(msg) {
    const seen = new Set();
    watcher?.close();
    watcher = watch(msg.dir, (_event, name) => {
      if (!name || seen.has(name)) return;
      try {
        readFileSync(join(msg.dir, name.toString()));
      } catch {
        return;
      }
      seen.add(name);
      if (seen.size === msg.count) push({ type: 'seen', t: nowMs() });
    });
    return {};
  },
  close() {
    watcher?.close();
    server.close();
    return {};
  },
});
