// `vigil hook`: what an agent's hook configuration runs. It passes the hook's JSON to the
// Vigil of its config folder and exits 0 within 200 ms whatever happens — Vigil not running,
// a bad payload, a slow disk — so it never slows down or breaks the agent. It prints nothing
// on stdout (Claude Code adds a hook's stdout to the conversation). Node built-ins only, and
// bundled on its own (dist/hook.cjs): starting the whole CLI would eat the time budget.
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { readHookEndpoint } from '../agents/hook-endpoint-file';
import { defaultConfigDir } from '../engine/config-dir';
import { commandHelp } from './args';
import { HOOK } from './specs';


/** Whole run, from process start: Claude Code waits for the hook, so this is the promise. */
export const HOOK_BUDGET_MS = 200;
/**
 * The least time the hook gives its own work (reading stdin and the endpoint file), counted
 * from when its code starts. It only matters on a machine so busy that Node alone took most of
 * the budget to start: the agent has waited for that start anyway, and a lost "needs you"
 * costs the user more than a slow one.
 */
export const MIN_WORK_MS = 300;
/**
 * The least time the hook waits for Vigil's answer once the post is sent (a Vigil that
 * answers takes a few milliseconds). Vigil itself never holds the hook past HOOK_BUDGET_MS
 * from its start, unless the machine made the hook start late.
 */
export const MIN_WAIT_MS = 30;
/** VIGIL_HOOK_MIN_WORK_MS=N gives both at least N ms (up to 10 s), where delivery matters more than the agent's wait. */
function patienceMs(): number {
  const asked = Number(process.env.VIGIL_HOOK_MIN_WORK_MS);
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, 10_000) : 0;
}
/**
 * What the hook leaves for the time its own clock does not see: Node starts counting
 * `performance.now()` after the process was spawned, and exiting takes a little more. Measured
 * from the agent's side, a hook that gave up at 175 ms on its clock had taken 214 ms.
 */
const EXIT_MARGIN_MS = 45;
const startedAt = performance.now();

/** When the hook must be done whatever it is doing, in performance.now() time (ms since the process started). */
export function hookDeadline(): number {
  return Math.max(HOOK_BUDGET_MS, startedAt + Math.max(MIN_WORK_MS, patienceMs()));
}

/** When to stop waiting for Vigil's answer to a post sent at `sentAt`. */
function answerDeadline(sentAt: number): number {
  return Math.min(hookDeadline() - EXIT_MARGIN_MS, Math.max(HOOK_BUDGET_MS - EXIT_MARGIN_MS, sentAt + Math.max(MIN_WAIT_MS, patienceMs())));
}
const MAX_STDIN_BYTES = 1024 * 1024;
const MAX_STRING_CHARS = 2000;
const MAX_POST_BYTES = 60 * 1024;

function remainingMs(): number {
  return hookDeadline() - EXIT_MARGIN_MS - performance.now();
}

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) {
      resolve('');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      process.stdin.pause();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    // A stdin nobody closes must not eat the budget: take what came.
    const timer = setTimeout(done, Math.max(20, remainingMs() - 30));
    process.stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_STDIN_BYTES) chunks.push(chunk);
    });
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

/** Long strings cut (a transcript excerpt, a tool's whole output): Vigil keeps a line of each at most. */
function trimmed(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING_CHARS ? value.slice(0, MAX_STRING_CHARS) : value;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => trimmed(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, trimmed(v, depth + 1)]));
}

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.trim()) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (trimmed(value) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The fields Vigil reads, for a payload still too big after trimming. */
const KEPT_FIELDS = ['session_id', 'cwd', 'hook_event_name', 'source', 'message', 'title', 'notification_type', 'reason', 'type', 'thread-id', 'turn-id', 'last-assistant-message', 'last_assistant_message', 'prompt'];

function bodyFor(post: { agent: string; event?: string; cwd: string; itemId?: string; payload: Record<string, unknown> }): string {
  const text = JSON.stringify(post);
  if (Buffer.byteLength(text) <= MAX_POST_BYTES) return text;
  const payload = Object.fromEntries(KEPT_FIELDS.filter((k) => k in post.payload).map((k) => [k, post.payload[k]]));
  return JSON.stringify({ ...post, payload: trimmed(payload) });
}

/** Posts one event to Vigil and resolves with its answer or the reason there was none; never rejects. */
export function postEvent(url: string, token: string, body: string): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const waitMs = Math.max(1, answerDeadline(performance.now()) - performance.now());
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Bearer ${token}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 500) });
      });
      res.on('error', (err) => resolve({ error: err.message }));
    });
    // A whole-answer deadline, not an idle timeout: a Vigil that trickles bytes must not hold the agent either.
    // It gives up in the check phase, after the poll phase: on a machine busy enough that the timer
    // comes due with the answer (or a refused connection) already waiting, what happened wins.
    const timer = setTimeout(() => setImmediate(() => req.destroy(new Error(`no answer within ${Math.round(waitMs)} ms; this event may be lost`))), waitMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ error: err.message });
    });
    req.end(body);
  });
}

/**
 * Run the notify program Vigil's replaced, detached, with the same argument; never waited for.
 * child_process loads only here: only Codex's form chains, and loading it costs every other
 * hook call ~5 ms of its start.
 */
async function runChained(chainJson: string | undefined, argument: string): Promise<void> {
  if (!chainJson) return;
  try {
    const chain: unknown = JSON.parse(chainJson);
    if (!Array.isArray(chain) || chain.length === 0 || !chain.every((a) => typeof a === 'string')) return;
    const [program, ...args] = chain as string[];
    const { spawn } = await import('node:child_process');
    spawn(program as string, [...args, argument], { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  } catch {
    // A broken chain must not keep Vigil's part from running.
  }
}

const warn = (line: string): void => void process.stderr.write(`vigil hook: ${line}\n`);

/** Always resolves 0. */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        agent: { type: 'string' },
        event: { type: 'string' },
        session: { type: 'string' },
        message: { type: 'string' },
        cwd: { type: 'string' },
        item: { type: 'string' },
        chain: { type: 'string' },
        'config-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    warn(`${(err as Error).message} (see vigil hook --help)`);
    return 0;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(commandHelp(HOOK));
    return 0;
  }
  const configDir = values['config-dir'] ?? defaultConfigDir();
  const itemId = values.item ?? process.env.VIGIL_ITEM ?? undefined;
  const cwd = process.cwd();
  const [form, codexArgument] = positionals;

  let agent: string;
  let event: string | undefined;
  let payload: Record<string, unknown> | null;
  if (form === 'codex') {
    const argument = codexArgument ?? '';
    await runChained(values.chain, argument);
    agent = 'codex';
    payload = parseObject(argument);
  } else if (form === 'claude') {
    agent = 'claude';
    payload = parseObject(await readStdin());
  } else if (values.agent && values.event) {
    agent = values.agent;
    event = values.event;
    const given = parseObject(await readStdin()) ?? {};
    payload = {
      ...given,
      ...(values.session ? { session_id: values.session } : {}),
      ...(values.message ? { message: values.message } : {}),
      ...(values.cwd ? { cwd: values.cwd } : {}),
    };
  } else {
    warn('say which agent: `vigil hook claude`, `vigil hook codex <json>`, or --agent NAME --event EVENT (see --help)');
    return 0;
  }
  if (!payload) {
    warn(`no JSON object from ${agent}; nothing was sent`);
    return 0;
  }

  const endpoint = await readHookEndpoint(configDir);
  // Vigil is not running: the normal case when the app is closed, and no reason to complain.
  if (!endpoint) return 0;
  const body = bodyFor({ agent, ...(event ? { event } : {}), cwd, ...(itemId ? { itemId } : {}), payload });
  const result = await postEvent(endpoint.url, endpoint.token, body);
  if ('error' in result) {
    // A crashed Vigil leaves its endpoint file: a refused connection is the same "not running".
    if (!/ECONNREFUSED/.test(result.error)) warn(`could not reach Vigil at ${endpoint.url}: ${result.error}`);
  } else if (result.status !== 200) {
    warn(`Vigil refused the event (${result.status}): ${result.text}`);
  }
  return 0;
}
