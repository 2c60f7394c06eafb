// POST /api/hook and the hook token: it may post agent events, and nothing else — no socket,
// no snapshot, no control request; other tokens cannot post; bodies are bounded.
import { afterEach, describe, expect, test } from 'vitest';
import { realpath } from 'node:fs/promises';
import type { AgentSession } from '../../../shared/model';
import { closeWorlds, createWorld, until } from './world';

afterEach(closeWorlds);

async function postHook(url: string, token: string | null, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('/api/hook', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const stop = (cwd: string, session = 'sess-1'): string =>
  JSON.stringify({ agent: 'claude', payload: { session_id: session, cwd, hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' } });

describe('the hook token', () => {
  test('posts an agent event, which every client hears', async () => {
    const world = await createWorld();
    const hook = (await world.tokens.hookToken()).secret;
    const reader = await world.connect();
    const cwd = await realpath(world.dirs.alpha!);
    const reply = await postHook(world.server.url, hook, stop(cwd));
    expect(reply).toEqual({ status: 200, json: { ok: true, session: { id: 'claude:sess-1', state: 'needs-input', projectId: world.ids.alpha } } });
    const event = await until(() => reader.events.find((e) => e.type === 'agent:needs-input'), 'agent:needs-input');
    expect((event.payload as { session: AgentSession }).session).toMatchObject({ projectId: world.ids.alpha, message: 'Claude needs your permission to use Bash' });
  });

  test('cannot open a socket, read the snapshot, or reach anything else', async () => {
    const world = await createWorld();
    const hook = (await world.tokens.hookToken()).secret;
    const refusal = await world.refused({ token: hook });
    expect(refusal.data?.code).toBe('unauthorized');
    expect(refusal.message).toMatch(/can only post agent events/);
    const viaHeader = await world.refused({ token: null, headers: { authorization: `Bearer ${hook}` } });
    expect(viaHeader.data?.code).toBe('unauthorized');

    const snapshot = await fetch(new URL('/api/snapshot', world.server.url), { headers: { Authorization: `Bearer ${hook}` } });
    expect(snapshot.status).toBe(403);
    expect(((await snapshot.json()) as { message: string }).message).toMatch(/only post to \/api\/hook/);
    const other = await fetch(new URL('/api/anything', world.server.url), { headers: { Authorization: `Bearer ${hook}` } });
    expect(other.status).toBe(403);
    // A GET on the hook path reads nothing either.
    const get = await fetch(new URL('/api/hook', world.server.url), { headers: { Authorization: `Bearer ${hook}` } });
    expect(get.status).toBe(405);
  });

  test('read tokens, wrong tokens and no token cannot post', async () => {
    const world = await createWorld();
    const cwd = await realpath(world.dirs.alpha!);
    expect((await postHook(world.server.url, world.read, stop(cwd))).status).toBe(401);
    expect((await postHook(world.server.url, 'vigil_wrong', stop(cwd))).status).toBe(401);
    expect((await postHook(world.server.url, null, stop(cwd))).status).toBe(401);
    expect(world.engine.agents.list()).toEqual([]);
  });

  test('revoking the hook token stops its posts at once, and a new one is made on next use', async () => {
    const world = await createWorld();
    const first = await world.tokens.hookToken();
    const cwd = await realpath(world.dirs.alpha!);
    expect((await postHook(world.server.url, first.secret, stop(cwd))).status).toBe(200);
    expect(await world.tokens.revoke(first.token.id)).toBe(true);
    expect((await postHook(world.server.url, first.secret, stop(cwd))).status).toBe(401);
    const second = await world.tokens.hookToken();
    expect(second.secret).not.toBe(first.secret);
    expect((await world.tokens.hookToken()).secret).toBe(second.secret);
    expect((await postHook(world.server.url, second.secret, stop(cwd))).status).toBe(200);
  });
});

describe('hook posts that are not right', () => {
  test('bad JSON, a bad shape, a wrong content type and an oversized body get clear errors', async () => {
    const world = await createWorld();
    const hook = (await world.tokens.hookToken()).secret;
    const cwd = await realpath(world.dirs.alpha!);
    const notJson = await postHook(world.server.url, hook, '{"agent": ');
    expect(notJson).toMatchObject({ status: 400, json: { error: 'invalid', message: expect.stringMatching(/not JSON/) } });
    const noSession = await postHook(world.server.url, hook, JSON.stringify({ agent: 'claude', payload: { cwd, hook_event_name: 'Stop' } }));
    expect(noSession).toMatchObject({ status: 400, json: { message: expect.stringMatching(/payload\.session_id|session_id/) } });
    const relative = await postHook(world.server.url, hook, JSON.stringify({ agent: 'claude', payload: { session_id: 's', cwd: '../etc', hook_event_name: 'Stop' } }));
    expect(relative).toMatchObject({ status: 400, json: { message: expect.stringMatching(/absolute path/) } });
    const badEvent = await postHook(world.server.url, hook, JSON.stringify({ agent: 'aider', event: 'explode', cwd, payload: {} }));
    expect(badEvent).toMatchObject({ status: 400, json: { message: expect.stringMatching(/Unknown event "explode".*needs-input/) } });
    const text = await postHook(world.server.url, hook, stop(cwd), { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    const huge = JSON.stringify({ agent: 'claude', payload: { session_id: 's', cwd, hook_event_name: 'Stop', last_assistant_message: 'x'.repeat(100_000) } });
    const tooBig = await postHook(world.server.url, hook, huge);
    expect(tooBig).toMatchObject({ status: 413, json: { error: 'too_large' } });
    // Nothing of it reached the model, and the server still serves.
    expect(world.engine.agents.list()).toEqual([]);
    expect((await postHook(world.server.url, hook, stop(cwd))).status).toBe(200);
  });

  test('a flood of posts is cut at the rate limit with 429, and the server keeps serving', async () => {
    const world = await createWorld({ server: { hookPostsPerSecond: 20 } });
    const hook = (await world.tokens.hookToken()).secret;
    const cwd = await realpath(world.dirs.alpha!);
    // 100 posts, 20 at a time (the server's connection cap, not the hook limit, bounds how many are open).
    const statuses: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => postHook(world.server.url, hook, stop(cwd, `s${i % 10}`)).then((r) => r.status)))));
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const reader = await world.connect();
    expect(reader.hello.snapshot.agents.length).toBe(10);
  });
});
