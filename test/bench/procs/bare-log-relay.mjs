// Baseline of the runs bench: the same printer, its stdout read by a bare Node process and
// each chunk's lines emitted to N socket.io clients as they arrive — no log file, no tail, no
// engine. What is left is the pipe, socket.io and the kernel: the floor for line → client.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { push, serveRequests } from './ipc.mjs';

let io = null;
let http = null;
let child = null;

serveRequests({
  async listen() {
    http = createServer();
    io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${http.address().port}` };
  },
  /**
   * Start the printer and relay its lines until it exits: each chunk's lines as they arrive, or
   * with `gapMs`, gathered and sent at most once per that many ms (as Vigil's run log does).
   */
  async run(msg) {
    const { argv, gapMs = 0 } = msg;
    let n = 0;
    let partial = '';
    let gathered = [];
    let timer = null;
    const send = () => {
      timer = null;
      if (gathered.length === 0) return;
      io.emit('log', { projectId: 'bare', path: 'bare.log', runId: 'bare', lines: gathered });
      gathered = [];
    };
    child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n');
      partial = text.slice(end + 1);
      if (end < 0) return;
      for (const t of text.slice(0, end).split('\n')) gathered.push({ n: ++n, text: t });
      if (gapMs === 0) send();
      else timer ??= setTimeout(send, gapMs);
    });
    await new Promise((resolve) => child.once('close', resolve));
    if (timer) clearTimeout(timer);
    send();
    return { lines: n };
  },
  async close() {
    child?.kill('SIGKILL');
    io?.close();
    return {};
  },
});
push({ type: 'ready' });
