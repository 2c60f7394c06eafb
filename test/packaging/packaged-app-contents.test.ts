// What electron-builder packs of OUR app: app.asar, its package.json, the tray icons beside
// it, and the fuses electron-builder.yml asks for. Electron itself is NOT under test — its
// binary cannot be downloaded here, so `electron-builder --dir` runs offline against a stub
// "Electron distribution" this test makes: a placeholder executable carrying only the fuse
// wire (so the fuse settings can be read back), a LICENSE and a version file.
import { extractAll, listPackage, extractFile, statFile } from '@electron/asar';
import Ajv from 'ajv';
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { RENDERER_CSP } from '../../main/desktop/csp';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const builderConfig = parseYaml(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** @electron/fuses' marker: the fuse wire follows it (version byte, length byte, one byte per fuse). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
/** Electron's own defaults, which the stub starts from ('1' on, '0' off). */
const STOCK_FUSES = '10110001';

describe("electron-builder.yml", () => {
  test("is valid against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(readFileSync(join(repo, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(builderConfig);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  test('the schema check would catch a mistake', () => {
    const schema = JSON.parse(readFileSync(join(repo, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate({ ...builderConfig, nsis: { oneClick: 'yes' } })).toBe(false);
    expect(validate({ ...builderConfig, electronFuse: {} })).toBe(false);
  });
});

describe('our app as electron-builder packages it (Electron itself is a stub, not under test)', () => {
  let work: string;
  let appOut: string;
  let asarPath: string;
  let files: string[];

  beforeAll(async () => {
    for (const built of ['dist/electron/main.js', 'dist/preload.cjs', 'dist/renderer/index.html']) {
      if (!existsSync(join(repo, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm test builds first).`);
    }
    work = await mkdtemp(join(tmpdir(), 'vigil-packaging-'));
    const stub = join(work, 'stub-electron');
    await mkdir(join(stub, 'resources'), { recursive: true });
    const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES.length]), Buffer.from(STOCK_FUSES)]);
    await writeFile(join(stub, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub, not Electron" >&2\nexit 1\n'), wire]), { mode: 0o755 });
    await writeFile(join(stub, 'LICENSE'), 'stub\n');
    await writeFile(join(stub, 'version'), '0.0.0-stub');

    const out = join(work, 'out');
    const arch = process.arch === 'arm64' ? '--arm64' : '--x64';
    try {
      await run(
        process.execPath,
        [
          join(repo, 'node_modules/electron-builder/cli.js'),
          '--dir',
          '--linux',
          arch,
          '--publish',
          'never',
          `-c.electronDist=${stub}`,
          `-c.directories.output=${out}`,
        ],
        {
          cwd: repo,
          timeout: 80_000,
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, npm_config_offline: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_CACHE: join(work, 'cache') },
        },
      );
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`electron-builder --dir failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
    appOut = join(out, process.arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked');
    asarPath = join(appOut, 'resources', 'app.asar');
    files = listPackage(asarPath, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  }, 90_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const text = (path: string): string => extractFile(asarPath, path).toString('utf8');
  const ownFiles = (): string[] => files.filter((f) => !f.startsWith('/node_modules/'));

  test('app.asar holds the built main, preload and renderer', () => {
    // Built from the stub, never from a downloaded Electron.
    expect(readFileSync(join(appOut, 'vigil')).includes('stub, not Electron')).toBe(true);
    for (const path of ['/package.json', '/dist/electron/main.js', '/dist/preload.cjs', '/dist/renderer/index.html']) {
      expect(files).toContain(path);
    }
    const html = text('dist/renderer/index.html');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `/dist/renderer/${m[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(files).toContain(asset);
  });

  test("package.json's main points to a file inside the archive", () => {
    const pkg = JSON.parse(text('package.json')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(statFile(asarPath, pkg.main)).toMatchObject({ size: expect.any(Number) });
  });

  test('no sources, tests, source maps, docs or tool configs are shipped', () => {
    const own = ownFiles().filter((f) => statFileIsFile(f));
    const stray = own.filter((f) => !f.startsWith('/dist/') && f !== '/package.json');
    expect(stray).toEqual([]);
    expect(files.filter((f) => /\.(map|tsx?|mts|cts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\/(test|tests|__tests__)\//.test(f) && !f.startsWith('/node_modules/'))).toEqual([]);
    expect(own.filter((f) => f.startsWith('/dist/') && !/^\/dist\/(electron\/main\.js|preload\.cjs|hook\.cjs|renderer\/)/.test(f))).toEqual([]);
  });

  test('only production dependencies are packed, and every import of the built main resolves to one of them', () => {
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const packed = new Set(files.filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(f) && !/^\/node_modules\/@[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length)));
    // A name is dev-only when no production copy of it is in the lock at any depth (electron-builder
    // hoists a production copy nested under another package, as libsql's detect-libc).
    const prodNames = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path.includes('node_modules/') && entry.dev !== true)
        .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    );
    const devOnly = [...packed].filter((name) => !prodNames.has(name));
    expect(devOnly).toEqual([]);
    expect(packed.has('electron')).toBe(false);

    const main = text('dist/electron/main.js');
    const specifiers = new Set([...main.matchAll(/(?:from\s*|import\s*\(\s*|require\(\s*)["']([^"'./][^"']*)["']/g)].map((m) => m[1] as string));
    const builtins = new Set(builtinModules);
    const missing = [...specifiers].filter((spec) => {
      if (spec.startsWith('node:') || spec === 'electron' || builtins.has(spec)) return false;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
      return !packed.has(name);
    });
    expect(missing).toEqual([]);
    expect(specifiers.has('chokidar') && specifiers.has('socket.io') && specifiers.has('libsql')).toBe(true);
  });

  test('the packed preload requires nothing but electron', () => {
    const required = [...text('dist/preload.cjs').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  test('asarUnpack holds: no native module inside the archive; beside it only native modules (and their package.json, and the index.js that picks one) and the hook agents run with Node', () => {
    expect(builderConfig.asarUnpack).toEqual(['**/*.node', 'dist/hook.cjs']);
    expect(files.filter((f) => f.endsWith('.node') && !statFileIsUnpacked(f))).toEqual([]);
    const unpacked = join(appOut, 'resources', 'app.asar.unpacked');
    expect(existsSync(join(unpacked, 'dist', 'hook.cjs'))).toBe(true);
    const all = readdirSync(unpacked, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    const relOf = (d: (typeof all)[number]): string => join(d.parentPath, d.name).slice(unpacked.length + 1).replaceAll('\\', '/');
    // electron-builder unpacks a native module's package.json beside it, and koffi's platform
    // package whole (its index.js chooses the glibc or the musl binary); nothing else.
    const koffiPicker = /^node_modules\/@koromix\/koffi-[^/]+\/index\.js$/;
    expect(all.filter((d) => !d.name.endsWith('.node') && d.name !== 'package.json' && d.name !== 'hook.cjs' && !koffiPicker.test(relOf(d))).map(relOf)).toEqual([]);
    // The SQLite binding of the history journal, for this platform.
    const target = `${process.platform}-${process.arch}`;
    expect(all.map(relOf)).toContain(
      `node_modules/@libsql/${target}${process.platform === 'linux' ? '-gnu' : process.platform === 'win32' ? '-msvc' : ''}/index.node`,
    );
    // koffi's binary, through which the engine's Linux watches call inotify.
    const koffiBinaries = all.map(relOf).filter((f) => f.startsWith(`node_modules/@koromix/koffi-${target}/`));
    expect(koffiBinaries.some((f) => f.endsWith('/koffi.node'))).toBe(true);
  });

  /**
   * What Electron's asar support does at run time, done by hand: the archive's files, with the
   * unpacked ones in place, in a folder of their own. Then `probe` runs there in Node.
   */
  async function runInPackedTree(folder: string, probe: string[]): Promise<string> {
    const tree = join(work, folder);
    extractAll(asarPath, tree);
    await cp(join(appOut, 'resources', 'app.asar.unpacked'), tree, { recursive: true });
    return (await run(process.execPath, ['-e', probe.join('\n')], { cwd: tree, timeout: 20_000 })).stdout;
  }

  test.runIf(process.platform === 'linux')('the packed koffi loads from the archive and its unpacked binary, and opens an inotify instance', async () => {
    const stdout = await runInPackedTree('app-tree-koffi', [
      "const koffi = require('koffi');",
      "const init = koffi.load(null).func('int inotify_init1(int flags)');",
      'process.stdout.write(String(init(0)));',
    ]);
    expect(Number(stdout)).toBeGreaterThanOrEqual(0);
  });

  test('the packed SQLite driver loads from the archive and its unpacked binary, and opens a database', async () => {
    // The packed `libsql`, its JS deps and its binary.
    const stdout = await runInPackedTree('app-tree', [
      "const Database = require('libsql');",
      "const db = new Database(':memory:');",
      "db.exec('CREATE TABLE t (a)'); db.prepare('INSERT INTO t VALUES (?)').run(42);",
      "process.stdout.write(JSON.stringify(db.prepare('SELECT a FROM t').all()));",
    ]);
    expect(JSON.parse(stdout)).toEqual([{ a: 42 }]);
  });

  test('the window is served with the strict CSP as a meta fallback', () => {
    const meta = text('dist/renderer/index.html').match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    expect(meta?.[1]).toBe(RENDERER_CSP);
  });

  test('tray icons and the window icon sit in resources/, where main/electron/paths.ts looks', () => {
    for (const level of ['ok', 'warning', 'critical']) {
      expect(existsSync(join(appOut, 'resources', 'tray', `tray-${level}.png`))).toBe(true);
      expect(existsSync(join(appOut, 'resources', 'tray', `tray-${level}@2x.png`))).toBe(true);
    }
    expect(existsSync(join(appOut, 'resources', 'icon.png'))).toBe(true);
  });

  test('the fuses in the packaged executable are the ones electron-builder.yml asks for', () => {
    const binary = readFileSync(join(appOut, 'vigil'));
    const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    const states = Object.fromEntries(FUSES.map((name, i) => [name, String.fromCharCode(binary[at + 2 + i] as number)]));
    expect(states).toMatchObject({
      runAsNode: '0',
      enableNodeOptionsEnvironmentVariable: '0',
      enableNodeCliInspectArguments: '0',
      onlyLoadAppFromAsar: '1',
      enableCookieEncryption: '1',
    });
  });

  test('the update feed is GitHub releases (electron-updater reads it only when the user turns checks on)', () => {
    const feed = parseYaml(readFileSync(join(appOut, 'resources', 'app-update.yml'), 'utf8'));
    expect(feed).toMatchObject({ provider: 'github', owner: 'vigil-app', repo: 'vigil' });
  });

  function statFileIsUnpacked(path: string): boolean {
    return (statFile(asarPath, path.slice(1)) as { unpacked?: boolean }).unpacked === true;
  }

  function statFileIsFile(path: string): boolean {
    const entry = statFile(asarPath, path.slice(1)) as { files?: unknown };
    return entry.files === undefined;
  }
});
