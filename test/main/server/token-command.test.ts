// `vigil token list | create | revoke` through the built CLI, against a temp config dir.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TokenStore } from '../../../main/server/tokens';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
let configDir: string;

function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'token', ...args, '--config-dir', configDir], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeEach(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'vigil-token-cli-'));
});

afterEach(async () => {
  await rm(configDir, { recursive: true, force: true });
});

describe('vigil token', () => {
  test('create prints the secret once, alone on stdout; list shows the token without it; revoke removes it', async () => {
    const created = await vigil('create', '--scope', 'control', '--label', 'my phone');
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^vigil_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/Created control token tok_[0-9a-f]+ \(my phone\)/);
    // The URL to open, ready to paste, beside the explanation.
    expect(created.stderr).toContain(`http://127.0.0.1:4317/#token=${secret}\n`);

    const store = await TokenStore.open(configDir);
    expect(store.verify(secret)?.scope).toBe('control');
    await store.close();

    const listed = await vigil('list');
    expect(listed.code).toBe(0);
    // Verifying above counted as a use, so LAST USED is a time now.
    expect(listed.stdout).toMatch(/control\s+\S+Z\s+\S+Z\s+my phone/);
    expect(listed.stdout).not.toContain(secret);
    const json = JSON.parse((await vigil('list', '--json')).stdout) as { id: string; scope: string }[];
    expect(json).toHaveLength(1);

    const revoked = await vigil('revoke', json[0]!.id);
    expect(revoked.code).toBe(0);
    expect((await vigil('list')).stdout).toMatch(/No tokens yet/);
  });

  test('scope defaults to read; a bad scope, an unknown id and a missing action are clear errors', async () => {
    const created = await vigil('create');
    const store = await TokenStore.open(configDir);
    expect(store.verify(created.stdout.trim())?.scope).toBe('read');
    await store.close();

    const badScope = await vigil('create', '--scope', 'admin');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('--scope must be read or control');
    const unknown = await vigil('revoke', 'tok_nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no token with id tok_nope');
    expect((await vigil()).code).toBe(2);
    expect((await vigil('explode')).code).toBe(2);
  });

  test('create prints the URL of the server named by --host and --port', async () => {
    const created = await vigil('create', '--host', '192.168.1.20', '--port', '5000');
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`http://192.168.1.20:5000/#token=${created.stdout.trim()}`);
    const bad = await vigil('create', '--port', 'http');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
