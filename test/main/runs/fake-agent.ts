// A fake agent for run tests: a small Node script the tests write to a temp folder and run as
// a real child process. What it does is chosen by its arguments:
//   lines <n> <everyMs> <exitCode>   print n timestamped lines, one every everyMs, then exit
//   hang                             print "ready" and wait to be stopped
//   ignore-term                      like hang, but ignore SIGTERM
//   grandchild <pidFile>             start a grandchild that writes its pid to pidFile, then hang
//   stream-json <exitCode>           print Claude Code stream-json progress and a final usage line
//   argv <args…>                     print each of its arguments as JSON, one per line
//   env <NAME…>                      print NAME=value for each variable (value "<unset>" when absent)
//   fail-once <markerFile>           exit 1 when markerFile does not exist (and create it), else exit 0
//   fail-on <value> <match> <ms>     print the value, wait ms, then exit 1 if value equals match, else 0
//   together <dir> <n> <value> <match>  leave a file in dir and wait until n agents have (so n ran at
//                                    once), then exit 1 if value equals match, else 0
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = String.raw`
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [mode, ...args] = process.argv.slice(2);
const stamp = () => new Date().toTimeString().slice(0, 8);
const say = (text) => process.stdout.write(text + '\n');
const hang = () => setInterval(() => {}, 1 << 30);
switch (mode) {
  case 'lines': {
    const [n, every, code] = args.map(Number);
    let i = 0;
    const next = () => {
      if (i === n) return process.exit(code);
      i += 1;
      say('[' + stamp() + '] line ' + i);
      setTimeout(next, every);
    };
    next();
    break;
  }
  case 'hang':
    say('ready');
    hang();
    break;
  case 'ignore-term':
    process.on('SIGTERM', () => say('ignoring SIGTERM'));
    say('ready');
    hang();
    break;
  case 'grandchild': {
    const child = spawn(process.execPath, ['-e', 'require("node:fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1 << 30)', args[0]], { stdio: 'ignore' });
    child.unref();
    say('started grandchild');
    hang();
    break;
  }
  case 'stream-json': {
    const lines = [
      { type: 'system', subtype: 'init', model: 'claude-test', session_id: 's1' },
      { type: 'assistant', message: { content: [{ type: 'text', text: 'Reading the plan' }] } },
      { type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: 'src/cart.ts' } }] } },
      { type: 'result', subtype: 'success', is_error: false, result: 'Cart built', total_cost_usd: 0.0421, usage: { input_tokens: 1200, output_tokens: 340, cache_read_input_tokens: 5000, cache_creation_input_tokens: 100 } },
    ];
    for (const line of lines) say(JSON.stringify(line));
    process.exit(Number(args[0] ?? 0));
    break;
  }
  case 'argv':
    for (const arg of args) say(JSON.stringify(arg));
    break;
  case 'env':
    for (const name of args) say(name + '=' + (process.env[name] ?? '<unset>'));
    break;
  case 'fail-once':
    if (fs.existsSync(args[0])) process.exit(0);
    fs.writeFileSync(args[0], 'x');
    say('failing the first time');
    process.exit(1);
    break;
  case 'fail-on':
    say('working on ' + args[0]);
    setTimeout(() => process.exit(args[0] === args[1] ? 1 : 0), Number(args[2]));
    break;
  case 'together': {
    const [dir, n, value, match] = args;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(dir + '/' + process.pid, '');
    const check = () => {
      if (fs.readdirSync(dir).length >= Number(n)) process.exit(value === match ? 1 : 0);
      setTimeout(check, 20);
    };
    check();
    break;
  }
  default:
    process.stderr.write('unknown mode ' + mode + '\n');
    process.exit(2);
}
`;

/** Write the fake agent into `dir`; returns the argv prefix that runs it. */
export function writeFakeAgent(dir: string): string[] {
  const path = join(dir, 'fake-agent.cjs');
  writeFileSync(path, SCRIPT);
  return [process.execPath, path];
}
