// Hooks baseline: a bare HTTP + socket.io server that takes a POSTed JSON body and emits it to
// every client at once (no token, no validation, no engine). What is left is Node's HTTP,
// socket.io and the kernel: the floor for "a hook posted → every client has it".
import { createServer } from 'node:http';
import { Server } from 'socket.io';

let seq = 0;
const http = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (c) => (body += c));
  req.on('end', () => {
    const post = JSON.parse(body);
    seq += 1;
    io.emit('events', [{ seq, ts: Date.now(), type: 'agent:needs-input', payload: { session: { id: `x:${post.payload.session_id}`, message: post.payload.message } } }]);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
});
const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
http.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${http.address().port}` })}\n`));
process.on('SIGTERM', () => process.exit(0));
