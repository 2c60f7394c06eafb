// Alerts leaving Vigil, received by a real HTTP server on loopback standing in for ntfy, a
// webhook receiver and Slack: what each gets, the webhook's signature checked as a receiver
// would, a retry after a 500, silence in quiet hours, and one message for a burst.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startChannelAlerts, type ChannelAlerts } from '../../../main/notify/alerts';
import { makeChannel } from '../../../main/notify/channel-config';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { writeTasks } from '../server/world';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let base: string;
let project: string;
let config: ConfigStore;
let engine: Engine;
let alerts: ChannelAlerts;
let receiver: Server;
let origin: string;
let received: Received[];
/** Status codes to answer with, in order; 200 once they run out. */
let answers: number[];

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-alerts-')));
  project = join(base, 'shop');
  await writeTasks(project, [{ id: 1, title: 'Checkout page', status: 'in-progress' }]);
  received = [];
  answers = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});

afterEach(async () => {
  await alerts?.close();
  await engine?.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(base, { recursive: true, force: true });
});

async function start(settings: object = {}): Promise<void> {
  const configDir = join(base, 'config');
  if (Object.keys(settings).length > 0) {
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'settings.json'), JSON.stringify(settings));
  }
  config = new ConfigStore(configDir);
  engine = await createEngine({ config, driftSweepMs: 0, heartbeatMs: 100 });
  await engine.addProject(project);
  alerts = startChannelAlerts({
    hub: engine.hub,
    channels: () => config.channels(),
    rules: () => config.settings().notifications,
    projectName: (id) => engine.projects().find((p) => p.id === id)?.name,
    initialHealth: engine.snapshot().health,
    dispatcher: { retryDelaysMs: [50, 100, 200] },
    burst: { max: 0, windowMs: 300 },
    log: () => undefined,
  });
  // As vigil serve and the desktop app wire it.
  engine.addConditionSource(() => alerts.conditions());
}

/** What Claude Code's Notification hook would post for a session in the project. */
async function needsInput(session: string, message: string): Promise<void> {
  const receipt = await engine.agents.receive({
    agent: 'claude',
    payload: { session_id: session, cwd: project, hook_event_name: 'Notification', message, notification_type: 'permission_prompt' },
  });
  expect(receipt.ok).toBe(true);
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Checks a signature header the way a receiver is told to in the README. */
function verify(secret: string, header: string, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

describe('alerts through channels', () => {
  test('ntfy, a signed webhook and Slack each get an agent waiting for input, in their own format', async () => {
    await start();
    const ntfy = await config.addChannel(makeChannel({ type: 'ntfy', url: `${origin}/vigil-alerts`, priority: 4, tags: ['robot'], token: 'tk_ntfy' }, Date.now()));
    const hook = await config.addChannel(makeChannel({ type: 'webhook', url: `${origin}/incoming/vigil` }, Date.now()));
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/services/T000/B000/XXXX` }, Date.now()));

    await needsInput('s1', 'Claude needs your permission to use Bash');
    await until('three deliveries', () => received.length >= 3 && received);
    const byPath = (p: string): Received => received.find((r) => r.path === p) as Received;

    const n = byPath('/');
    expect(n.headers.authorization).toBe('Bearer tk_ntfy');
    expect(JSON.parse(n.body)).toEqual({ topic: 'vigil-alerts', title: 'Claude Code needs you · shop', message: 'Claude needs your permission to use Bash', priority: 4, tags: ['robot'] });
    expect(ntfy.type).toBe('ntfy');

    const w = byPath('/incoming/vigil');
    expect(w.headers['x-vigil-event']).toBe('needs-input');
    expect(verify(hook.type === 'webhook' ? hook.secret : '', w.headers['x-vigil-signature'] as string, w.body)).toBe(true);
    expect(verify('whsec_not-the-secret-at-all', w.headers['x-vigil-signature'] as string, w.body)).toBe(false);
    expect(JSON.parse(w.body)).toMatchObject({ version: 1, kind: 'needs-input', title: 'Claude Code needs you · shop', body: 'Claude needs your permission to use Bash', projectIds: [engine.projects()[0]!.id] });

    expect(JSON.parse(byPath('/services/T000/B000/XXXX').body)).toEqual({ text: '*Claude Code needs you · shop*\nClaude needs your permission to use Bash' });
    const state = await alerts.state();
    expect(state.log.filter((e) => e.status === 'sent')).toHaveLength(3);
  });

  test('a 500 is retried until it goes through, and every attempt is in the delivery log', async () => {
    await start();
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/services/T/B/X` }, Date.now()));
    answers = [500, 503];
    await needsInput('s1', 'Claude is waiting for your input');
    await until('the third attempt', () => received.length === 3);
    const log = await until('the sent entry', () => {
      const entries = alerts.dispatcher.log();
      return entries[0]?.status === 'sent' && entries;
    });
    expect(log.map((e) => [e.status, e.httpStatus, e.attempt])).toEqual([
      ['sent', 200, 3],
      ['retrying', 503, 2],
      ['retrying', 500, 1],
    ]);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  test('a channel that keeps failing is a health warning, and a client error is not retried', async () => {
    await start();
    const ch = await config.addChannel(makeChannel({ type: 'slack', name: 'Team chat', url: `${origin}/services/T/B/X` }, Date.now()));
    answers = [404, 404, 404];
    for (let i = 0; i < 3; i++) {
      await needsInput(`s${i}`, `question ${i}`);
      await until(`delivery ${i}`, () => received.length === i + 1);
      await new Promise((resolve) => setTimeout(resolve, 350));
    }
    await until('the failures', () => alerts.dispatcher.failuresInARow(ch.id) === 3);
    expect(received).toHaveLength(3);
    const health = await until('the health warning', () => engine.snapshot().health.conditions.find((c) => c.key === `channel-failing:${ch.id}`));
    expect(health).toMatchObject({
      level: 'warning',
      message: expect.stringMatching(/Alerts to Team chat keep failing \(3 in a row\): 404/),
      hint: expect.stringContaining('`vigil notify test <id>`'),
    });
  });

  test('nothing is sent during quiet hours', async () => {
    const now = new Date();
    const hhmm = (d: Date): string => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    await start({ notifications: { quietHours: { start: hhmm(new Date(now.getTime() - 3_600_000)), end: hhmm(new Date(now.getTime() + 3_600_000)) } } });
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/services/T/B/X` }, Date.now()));
    await needsInput('s1', 'Claude needs your permission to use Bash');
    expect(engine.agents.list()[0]).toMatchObject({ state: 'needs-input' });
    // Quiet hours end; the next alert goes out, and it is the only one that ever did.
    await config.updateSettings({ notifications: { ...config.settings().notifications, quietHours: null } });
    await needsInput('s2', 'Claude needs your permission to use Write');
    await until('the delivery after quiet hours', () => received.length >= 1);
    expect(received.map((r) => JSON.parse(r.body).text)).toEqual(['*Claude Code needs you · shop*\nClaude needs your permission to use Write']);
  });

  test('a burst reaches each channel as one message', async () => {
    await start();
    await config.addChannel(makeChannel({ type: 'webhook', url: `${origin}/burst` }, Date.now()));
    for (let i = 0; i < 6; i++) await needsInput(`s${i}`, `question ${i}`);
    await until('a delivery', () => received.length >= 1);
    // An alert after the burst went out is a message of its own.
    await needsInput('later', 'one more question');
    await until('the second delivery', () => received.length >= 2);
    expect(received.map((r) => JSON.parse(r.body).title)).toEqual(['Vigil: 6 updates', 'Claude Code needs you · shop']);
    expect(JSON.parse(received[0]!.body).body).toBe('6 waiting for you');
  });

  test('a channel only gets the kinds and projects it was set up for', async () => {
    await start();
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/done-only`, kinds: ['done'] }, Date.now()));
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/other-project`, projects: ['not-this-one'] }, Date.now()));
    await config.addChannel(makeChannel({ type: 'slack', url: `${origin}/everything` }, Date.now()));
    await needsInput('s1', 'Claude needs your permission to use Bash');
    await until('a delivery', () => received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(received.map((r) => r.path)).toEqual(['/everything']);
  });
});
