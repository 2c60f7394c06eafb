// The history over the wire, against a real journal: GET /api/history (a token required, bad
// input answered with a clear 400) and the history requests over socket.io with a read token.
import { afterEach, describe, expect, test } from 'vitest';
import { History } from '../../../main/store/history';
import { tempDir } from '../engine/live-helpers';
import { closeWorlds, createWorld, until, writeTasks } from './world';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await closeWorlds();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function journaledWorld() {
  const dir = tempDir('vigil-history-');
  const history = History.open({ dir: dir.path });
  cleanups.push(dir.remove, () => history.close());
  const world = await createWorld({ engine: { history }, server: { history } });
  return { world, history };
}

describe('GET /api/history', () => {
  test('pages back through the journal, newest first, filtered like history:query', async () => {
    const { world } = await journaledWorld();
    const client = await world.connect();
    await writeTasks(world.dirs.alpha as string, [{ id: 1, title: 'alpha first task', status: 'in-progress' }]);
    await until(() => client.events.some((e) => e.type === 'item:status'), 'the transition');
    const get = (query: string) => fetch(`${world.server.url}api/history?${query}`, { headers: { authorization: `Bearer ${world.read}` } });

    const all = (await (await get('limit=2')).json()) as { events: { seq: number }[]; nextBeforeSeq: number | null };
    expect(all.events.map((e) => e.seq)).toEqual([world.engine.hub.seq, world.engine.hub.seq - 1]);
    expect(all.nextBeforeSeq).toBe(world.engine.hub.seq - 1);
    const older = (await (await get(`limit=500&beforeSeq=${all.nextBeforeSeq}`)).json()) as { events: { seq: number }[]; nextBeforeSeq: number | null };
    expect(older.events[0]?.seq).toBe(world.engine.hub.seq - 2);
    expect(older.nextBeforeSeq).toBeNull();

    const statuses = (await (await get(`projectId=${world.ids.alpha}&types=item:status`)).json()) as { events: { type: string; payload: { to: string } }[] };
    expect(statuses.events.map((e) => `${e.type}:${e.payload.to}`)).toEqual(['item:status:in_progress']);
  });

  test('needs a token, and refuses bad parameters with a 400 that says which', async () => {
    const { world } = await journaledWorld();
    expect((await fetch(`${world.server.url}api/history`)).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${world.read}` } };
    const cases: [string, RegExp][] = [
      ['limit=501', /limit/],
      ['limit=-1', /limit must be a whole number/],
      ['beforeSeq=abc', /beforeSeq must be a whole number/],
      ['types=plan:exploded', /Unknown event type "plan:exploded"/],
      ['itemId=x', /needs a projectId/],
      ['sort=asc', /Unknown parameter "sort"/],
      [`projectId=${'x'.repeat(300)}`, /projectId/],
    ];
    for (const [query, message] of cases) {
      const res = await fetch(`${world.server.url}api/history?${query}`, auth);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
  });

  test('a server without a journal answers 503', async () => {
    const world = await createWorld();
    const res = await fetch(`${world.server.url}api/history`, { headers: { authorization: `Bearer ${world.read}` } });
    expect(res.status).toBe(503);
  });
});

describe('history:query paging while the project keeps changing', () => {
  test('every page is a stable slice: each event below the first page once, none missing, whatever is written meanwhile', async () => {
    const { world } = await journaledWorld();
    const client = await world.connect();
    const alpha = world.dirs.alpha as string;
    const tasks = (round: number) => Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Task ${i + 1}`, status: round % 2 === 0 ? 'pending' : 'in-progress' }));
    // Some history first: a few rounds of twenty tasks moving together.
    for (let round = 1; round <= 6; round++) {
      const seen = world.engine.hub.seq;
      await writeTasks(alpha, tasks(round));
      await until(() => world.engine.hub.seq >= seen + 20, `round ${round}`);
    }

    // A writer that keeps going while the client pages back.
    let writing = true;
    let rounds = 0;
    const writer = (async () => {
      for (let round = 7; writing; round++) {
        const seen = world.engine.hub.seq;
        await writeTasks(alpha, tasks(round));
        await until(() => world.engine.hub.seq >= seen + 20, `round ${round}`, 15_000);
        rounds += 1;
      }
    })();

    const page = async (payload: { beforeSeq?: number; types?: string[] }) => {
      const reply = await client.request('history:query', { limit: 25, ...payload });
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data;
    };
    const walk = async (types?: string[]) => {
      const seqs: number[] = [];
      let next = await page({ ...(types ? { types } : {}) });
      const top = next.events[0]?.seq as number;
      for (;;) {
        seqs.push(...next.events.map((e) => e.seq));
        if (next.nextBeforeSeq === null) return { top, seqs };
        // New events land between every two pages.
        const seen = world.engine.hub.seq;
        await until(() => world.engine.hub.seq > seen, 'a write between pages', 15_000);
        next = await page({ beforeSeq: next.nextBeforeSeq, ...(types ? { types } : {}) });
      }
    };
    const everything = await walk();
    const transitions = await walk(['item:status']);
    writing = false;
    await writer;

    expect(rounds).toBeGreaterThan(3);
    expect(everything.seqs).toEqual(Array.from({ length: everything.top }, (_, i) => everything.top - i));
    // The filtered walk holds exactly the journal's transitions up to its first page, once each.
    const journal = await page({ types: ['item:status'] });
    expect(journal.events[0]?.seq).toBeGreaterThan(transitions.top);
    const expected = world.engine.hub
      .recent(100_000)
      .filter((e) => e.type === 'item:status' && e.seq <= transitions.top)
      .map((e) => e.seq)
      .reverse();
    expect(transitions.seqs).toEqual(expected);
    expect(new Set(transitions.seqs).size).toBe(transitions.seqs.length);
  }, 60_000);
});

describe('history requests over socket.io', () => {
  test('a read token may page, chart and digest; bad input gets an invalid reply, not a dropped socket', async () => {
    const { world } = await journaledWorld();
    const client = await world.connect();
    const seenBefore = world.engine.hub.seq;
    await writeTasks(world.dirs.alpha as string, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => client.events.some((e) => e.type === 'item:status'), 'the transition');

    const page = await client.request('history:query', { types: ['item:status'], limit: 10 });
    expect(page.ok && page.data.events.map((e) => (e.type === 'item:status' ? e.payload.to : ''))).toEqual(['done']);
    const digest = await client.request('history:digest', { sinceSeq: seenBefore });
    expect(digest.ok && digest.data.entries.map((e) => `${e.what} ${e.title}`)).toEqual(['finished alpha first task']);
    const burnup = await client.request('history:burnup', { projectId: world.ids.alpha });
    expect(burnup.ok && burnup.data.series[0]?.points.at(-1)).toMatchObject({ done: 1, total: 1 });
    const days = await client.request('history:throughput', { bucket: 'day', utcOffsetMinutes: 120 });
    expect(days.ok && days.data.buckets.reduce((n, b) => n + b.finished, 0)).toBe(1);

    const bad = await client.rawRequest('history:query', { types: ['plan:exploded'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('plan:exploded') } });
    const huge = await client.rawRequest('history:query', { limit: 100_000 });
    expect(huge).toMatchObject({ ok: false, error: { code: 'too_large' } });
    const range = await client.rawRequest('history:throughput', { bucket: 'hour', since: 0 });
    expect(range).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('shorter') } });
    expect(client.socket.connected).toBe(true);
  });
});
