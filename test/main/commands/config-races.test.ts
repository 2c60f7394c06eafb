// The config folder under concurrency, as people hit it: a tokens.json broken by hand while a
// server runs, twenty `vigil token create` at once, creates racing revokes, two servers
// adding projects or starting together on an empty folder, and another process editing
// projects.json. Real CLI processes, real servers, real socket.io clients.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Snapshot } from '../../../shared/model';
import { ConfigStore } from '../../../main/engine/config';
import { TokenStore } from '../../../main/server/tokens';
import { killChildren, splitUrl, urlOf, vigil, vigilDone } from './serve-process';

let base: string;
let configDir: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-races-'));
  configDir = join(base, 'config');
});

afterEach(async () => {
  killChildren();
  await rm(base, { recursive: true, force: true });
});

async function until<T>(check: () => Promise<T | false | null | undefined> | T | false | null | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Does `token` get a hello from the server at `origin`? false when it is refused. */
function connects(origin: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const done = (ok: boolean): void => {
      socket.close();
      resolve(ok);
    };
    socket.once('hello', () => done(true));
    socket.once('connect_error', () => done(false));
  });
}

async function snapshotOf(origin: string, token: string): Promise<Snapshot> {
  const res = await fetch(`${origin}api/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as Snapshot;
}

async function project(name: string): Promise<string> {
  const dir = join(base, name);
  await mkdir(join(dir, '.planning'), { recursive: true });
  await writeFile(join(dir, '.planning', 'ROADMAP.md'), `# ${name}\n`);
  return dir;
}

async function storedTokenIds(): Promise<string[]> {
  const doc = JSON.parse(await readFile(join(configDir, 'tokens.json'), 'utf8')) as { tokens: { id: string }[] };
  return doc.tokens.map((t) => t.id);
}

describe('tokens.json', () => {
  test('broken by hand while a server runs: moved aside, the last good list written back, every client keeps working', async () => {
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin, token } = splitUrl(await urlOf(served));
    expect(await connects(origin, token)).toBe(true);
    const before = await storedTokenIds();

    await writeFile(join(configDir, 'tokens.json'), '{"version": 1, "tokens": [ oops');
    await until(async () => (await readdir(configDir)).some((name) => name.startsWith('tokens.json.corrupt-')), 'the damaged file moved aside');
    await until(async () => {
      try {
        return JSON.stringify(await storedTokenIds()) === JSON.stringify(before);
      } catch {
        return false;
      }
    }, 'the last good list written back');
    expect(await connects(origin, token)).toBe(true);
    expect(served.stderr()).toMatch(/tokens\.json could not be read.*moved to .*last good content was written back/);
  }, 40_000);

  test('twenty `vigil token create` at once: every printed secret works on a running server', async () => {
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin } = splitUrl(await urlOf(served));
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => vigilDone(['token', 'create', '--label', `t${i}`, '--config-dir', configDir])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const secrets = runs.map((r) => r.stdout.trim());
    expect(new Set(secrets).size).toBe(20);
    const results = await Promise.all(secrets.map((secret) => connects(origin, secret)));
    expect(results.filter((ok) => !ok).length).toBe(0);
    // The twenty, and the two serve made for itself: its default read token and the hook token.
    expect((await storedTokenIds()).length).toBe(22);
  }, 90_000);

  test('revokes racing creates: every revoked token stops working, every created one works', async () => {
    const store = await TokenStore.open(configDir);
    const doomed = [];
    for (let i = 0; i < 30; i++) doomed.push(await store.create('read', `doomed ${i}`));
    await store.close();
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin } = splitUrl(await urlOf(served));

    const created: string[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = doomed.slice(round * 6, round * 6 + 6);
      const runs = await Promise.all([
        ...batch.map((t) => vigilDone(['token', 'revoke', t.token.id, '--config-dir', configDir])),
        ...Array.from({ length: 6 }, () => vigilDone(['token', 'create', '--config-dir', configDir])),
      ]);
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      for (const run of runs.slice(6)) created.push(run.stdout.trim());
    }
    const stored = new Set(await storedTokenIds());
    expect(doomed.filter((t) => stored.has(t.token.id)).map((t) => t.token.id)).toEqual([]);
    for (const t of doomed) await until(async () => !(await connects(origin, t.secret)), `revoked ${t.token.id} refused`);
    const working = await Promise.all(created.map((secret) => connects(origin, secret)));
    expect(working.filter((ok) => !ok).length).toBe(0);
  }, 120_000);
});

describe('two servers on one config folder', () => {
  test('started together on an empty folder, each printed token works on both', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = join(base, `config-${round}`);
      const a = vigil(['serve', '--port', '0', '--config-dir', dir]);
      const b = vigil(['serve', '--port', '0', '--config-dir', dir]);
      const [ua, ub] = await Promise.all([urlOf(a), urlOf(b)]);
      const sa = splitUrl(ua);
      const sb = splitUrl(ub);
      // One default read token for the folder, whichever server made it.
      expect(sa.token, `round ${round}`).toBe(sb.token);
      const stored = JSON.parse(await readFile(join(dir, 'tokens.json'), 'utf8')) as { tokens: { isDefault?: boolean }[] };
      expect(stored.tokens.filter((t) => t.isDefault)).toHaveLength(1);
      for (const origin of [sa.origin, sb.origin]) {
        for (const token of [sa.token, sb.token]) expect(await connects(origin, token), `round ${round}`).toBe(true);
      }
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
    }
  }, 90_000);

  test('projects added through both at once are all kept, and each server watches them all', async () => {
    const store = await TokenStore.open(configDir);
    const { secret: control } = await store.create('control', 'test');
    await store.close();
    const a = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const b = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const [oa, ob] = (await Promise.all([urlOf(a), urlOf(b)])).map((url) => splitUrl(url).origin);
    const roots = await Promise.all(Array.from({ length: 10 }, (_, i) => project(`p${i}`)));
    const clients = [oa!, ob!].map((origin) => io(origin, { auth: { token: control }, transports: ['websocket'], reconnection: false, forceNew: true }));
    try {
      await Promise.all(clients.map((c) => new Promise((resolve) => c.once('hello', resolve))));
      const replies = await Promise.all(roots.map((root, i) => clients[i % 2]!.timeout(10_000).emitWithAck('project:add', { root })));
      for (const reply of replies) expect(reply).toMatchObject({ ok: true });
    } finally {
      for (const c of clients) c.close();
    }
    const file = JSON.parse(await readFile(join(configDir, 'projects.json'), 'utf8')) as { projects: { root: string }[] };
    expect(file.projects.map((p) => p.root).sort()).toEqual([...roots].sort());
    for (const origin of [oa!, ob!]) {
      await until(async () => (await snapshotOf(origin, control)).projects.length === 10, `${origin} watching all ten`);
    }
  }, 90_000);
});

describe('a running server follows the config', () => {
  test('a project another process adds to projects.json appears in the snapshot; one it removes goes', async () => {
    const first = await project('first');
    const later = await project('later');
    const other = new ConfigStore(configDir);
    await other.addProject(first);
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin, token } = splitUrl(await urlOf(served));
    expect((await snapshotOf(origin, token)).projects.map((p) => p.root)).toEqual([first]);

    const added = await other.addProject(later);
    await until(async () => (await snapshotOf(origin, token)).projects.some((p) => p.root === later), 'the added project watched');
    await other.removeProject(added.id);
    await until(async () => !(await snapshotOf(origin, token)).projects.some((p) => p.root === later), 'the removed project gone');
    // A hand edit counts too.
    await writeFile(join(configDir, 'projects.json'), JSON.stringify({ projects: [] }));
    await until(async () => (await snapshotOf(origin, token)).projects.length === 0, 'the hand-emptied list followed');
  }, 60_000);

  test('a hand edit of settings.json reaches a running server: the heartbeat follows heartbeatMs, as its health hint says', async () => {
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin, token } = splitUrl(await urlOf(served));
    const tickOf = async () => (await snapshotOf(origin, token)).heartbeat?.tick ?? 0;
    await until(async () => (await tickOf()) > 0, 'the first tick');
    await writeFile(join(configDir, 'settings.json'), JSON.stringify({ heartbeatMs: 100 }));
    const from = await tickOf();
    // 20 ticks take 2 s at 100 ms; at the default 1000 ms they would take 20 s, past the wait.
    await until(async () => (await tickOf()) >= from + 20, 'twenty ticks at the edited interval', 15_000);
  }, 60_000);

  test('`vigil add`, `pause` and `remove` in another terminal reach a running server', async () => {
    const served = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const { origin, token } = splitUrl(await urlOf(served));
    const folder = await project('added-by-cli');
    const added = await vigilDone(['add', folder, '--config-dir', configDir]);
    expect(added.code, added.stderr).toBe(0);
    await until(async () => (await snapshotOf(origin, token)).projects.some((p) => p.root === folder), 'the CLI-added project watched');
    const paused = await vigilDone(['pause', folder, '--config-dir', configDir]);
    expect(paused.code, paused.stderr).toBe(0);
    await until(async () => (await snapshotOf(origin, token)).projects.find((p) => p.root === folder)?.state === 'paused', 'the project paused');
    const removed = await vigilDone(['remove', folder, '--config-dir', configDir]);
    expect(removed.code, removed.stderr).toBe(0);
    await until(async () => !(await snapshotOf(origin, token)).projects.some((p) => p.root === folder), 'the CLI-removed project gone');
  }, 60_000);
});
