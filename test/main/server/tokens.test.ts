import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_TOKEN_FILE, TOKENS_FILE, TOKEN_PREFIX, TokenStore } from '../../../main/server/tokens';

let dir: string;
const stores: TokenStore[] = [];

async function open(options: Parameters<typeof TokenStore.open>[1] = {}): Promise<TokenStore> {
  const store = await TokenStore.open(dir, options);
  stores.push(store);
  return store;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tokens-'));
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('token store', () => {
  test('a created token has a recognisable 32-byte secret that verifies with its scope', async () => {
    const store = await open();
    const { token, secret } = await store.create('control', 'phone');
    expect(secret.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(secret.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(token).toMatchObject({ scope: 'control', label: 'phone', lastUsedAt: null });
    expect(store.verify(secret)).toEqual({ id: token.id, scope: 'control', label: 'phone' });
    expect(store.list().map((t) => t.id)).toEqual([token.id]);
  });

  test('scope defaults to read', async () => {
    const store = await open();
    const { secret } = await store.create();
    expect(store.verify(secret)?.scope).toBe('read');
  });

  test('wrong, empty, non-string and over-long secrets do not verify', async () => {
    const store = await open();
    const { secret } = await store.create();
    expect(store.verify(`${secret}x`)).toBeNull();
    expect(store.verify(secret.slice(0, -1))).toBeNull();
    expect(store.verify('')).toBeNull();
    expect(store.verify(undefined)).toBeNull();
    expect(store.verify(42)).toBeNull();
    expect(store.verify('x'.repeat(10_000))).toBeNull();
  });

  test('tokens.json holds hashes only, never the secret, and is private to the user', async () => {
    const store = await open();
    const { secret } = await store.create('control');
    const text = await readFile(join(dir, TOKENS_FILE), 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 20));
    expect((await stat(join(dir, TOKENS_FILE))).mode & 0o777).toBe(0o600);
  });

  test('tokens survive a restart', async () => {
    const first = await open();
    const { token, secret } = await first.create('control', 'laptop');
    await first.close();
    const second = await open();
    expect(second.verify(secret)).toEqual({ id: token.id, scope: 'control', label: 'laptop' });
  });

  test('a revoked token stops verifying and listeners hear of it', async () => {
    const store = await open();
    const { token, secret } = await store.create();
    const heard: string[] = [];
    store.onRevoked((id) => heard.push(id));
    expect(await store.revoke(token.id)).toBe(true);
    expect(store.verify(secret)).toBeNull();
    expect(heard).toEqual([token.id]);
    expect(await store.revoke(token.id)).toBe(false);
    expect(heard).toEqual([token.id]);
  });

  test('the default read token is the same across restarts, so the printed URL keeps working', async () => {
    const first = await open();
    const a = await first.defaultReadToken();
    expect(a.token.scope).toBe('read');
    expect(first.verify(a.secret)?.scope).toBe('read');
    await first.close();
    const second = await open();
    const b = await second.defaultReadToken();
    expect(b.secret).toBe(a.secret);
    expect(b.token.id).toBe(a.token.id);
    expect(second.list()).toHaveLength(1);
    expect((await stat(join(dir, DEFAULT_TOKEN_FILE))).mode & 0o777).toBe(0o600);
  });

  test('revoking the default read token makes the next start issue a new one', async () => {
    const store = await open();
    const old = await store.defaultReadToken();
    await store.revoke(old.token.id);
    const fresh = await store.defaultReadToken();
    expect(fresh.secret).not.toBe(old.secret);
    expect(store.verify(old.secret)).toBeNull();
    expect(store.list().map((t) => t.id)).toEqual([fresh.token.id]);
  });

  test('a default whose secret file was deleted is replaced, not left valid and unprintable', async () => {
    const store = await open();
    const old = await store.defaultReadToken();
    await rm(join(dir, DEFAULT_TOKEN_FILE));
    const fresh = await store.defaultReadToken();
    expect(fresh.token.id).not.toBe(old.token.id);
    expect(store.verify(old.secret)).toBeNull();
  });

  test('a revoke by another process reaches a watching store at once', async () => {
    const server = await open({ watch: true });
    const { token, secret } = await server.create();
    const revoked = new Promise<string>((resolve) => server.onRevoked(resolve));
    const cli = await open();
    expect(await cli.revoke(token.id)).toBe(true);
    expect(await revoked).toBe(token.id);
    expect(server.verify(secret)).toBeNull();
  });

  test('a token created by another process is accepted by a watching store', async () => {
    const server = await open({ watch: true });
    const cli = await open();
    const { secret } = await cli.create('control');
    await expect.poll(() => server.verify(secret)?.scope, { timeout: 3000 }).toBe('control');
  });

  test('mutations merge with the file, so one process does not undo another', async () => {
    const a = await open();
    const b = await open();
    const fromA = await a.create('read', 'a');
    const fromB = await b.create('read', 'b');
    const c = await open();
    expect(c.list().map((t) => t.id).sort()).toEqual([fromA.token.id, fromB.token.id].sort());
  });

  test('use is recorded in lastUsedAt and written on close', async () => {
    let now = 1000;
    const store = await open({ now: () => now, lastUsedFlushMs: 60_000 });
    const { token, secret } = await store.create();
    now = 5000;
    store.verify(secret);
    expect(store.list()[0]?.lastUsedAt).toBe(5000);
    await store.close();
    const reopened = await open();
    expect(reopened.list().find((t) => t.id === token.id)?.lastUsedAt).toBe(5000);
  });

  test('an unreadable tokens.json is moved aside with a warning, and no token verifies', async () => {
    await writeFile(join(dir, TOKENS_FILE), '{ not json');
    const store = await open();
    expect(store.warning).toMatch(/moved to/);
    expect(store.list()).toEqual([]);
  });
});
