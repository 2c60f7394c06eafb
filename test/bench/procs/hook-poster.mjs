// Posts hook events at a steady rate to a Vigil hook endpoint, as many busy agents would
// (each post is what `vigil hook` sends for a Claude Code PostToolUse). Reports how many were
// answered 200 when it gets SIGTERM or runs its time.
import http from 'node:http';

const [url, token, cwd, rateText, secondsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let sent = 0;
let ok = 0;
let failed = 0;
const start = performance.now();
const total = Math.round(rate * seconds);

function post(i) {
  const body = JSON.stringify({ agent: 'claude', cwd, payload: { session_id: `busy-${i % 20}`, cwd, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'npm test' } } });
  const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Bearer ${token}` } }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 200 ? ok++ : failed++));
  });
  req.on('error', () => failed++);
  req.end(body);
  sent += 1;
}

for (let i = 0; i < total; i++) {
  const wait = start + (i * 1000) / rate - performance.now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  post(i);
}
await new Promise((resolve) => setTimeout(resolve, 500));
process.stdout.write(`${JSON.stringify({ sent, ok, failed, seconds: (performance.now() - start) / 1000 })}\n`);
agent.destroy();
