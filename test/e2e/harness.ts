// What the end-to-end tests stand on: a real `vigil serve` child process on a temp workspace,
// Debian's chromium through playwright-core, and the server's own snapshot to compare with.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Snapshot } from '../../shared/model';

export const CHROMIUM = '/usr/bin/chromium';
/** The built CLI; VIGIL_CLI points elsewhere (a private build) when needed. */
export const CLI = process.env.VIGIL_CLI ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Fail, never skip: a CI run without a browser must not pass as if the UI were tested. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing. The end-to-end tests need Debian's chromium (apt-get install chromium); they fail rather than skip without it.`);
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vigil-e2e-${prefix}-`));
}

export interface Browser {
  context: BrowserContext;
  newPage(size?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium with a fresh profile of its own, deleted on close. */
export async function launchBrowser(): Promise<Browser> {
  const userDataDir = await tempDir('chromium');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  const errors: string[] = [];
  return {
    context,
    async newPage(size) {
      const page = await context.newPage();
      if (size) await page.setViewportSize(size);
      page.on('pageerror', (err) => errors.push(err.message));
      return page;
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
    },
  };
}

export interface ServeOptions {
  roots: string[];
  configDir: string;
  /** 0 (default) picks a free port; a restart passes the port it had. */
  port?: number;
}

/** `vigil serve` as a child process; its stdout's first line is the URL with a read token. */
export class ServeProcess {
  private stderrText = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString()));
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  get token(): string {
    return new URLSearchParams(new URL(this.url).hash.slice(1)).get('token')!;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The page URL with another token (e.g. a control one). */
  urlWith(token: string, fragment = ''): string {
    return `${this.origin}/#token=${encodeURIComponent(token)}${fragment}`;
  }

  static async start(options: ServeOptions): Promise<ServeProcess> {
    const args = [CLI, 'serve', '--port', String(options.port ?? 0), '--config-dir', options.configDir, ...options.roots];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vigil serve printed no URL within 60 s. stderr:\n${stderr}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('http'));
        if (line) {
          clearTimeout(timer);
          resolve(line.trim());
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`vigil serve exited with ${code} before printing a URL. stderr:\n${stderr}`));
      });
    });
    return new ServeProcess(child, url);
  }

  /** Stop it like Ctrl-C would, and wait until it has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Wait until `check` holds (outside a test, where expect.poll cannot run); fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function fetchSnapshot(server: ServeProcess): Promise<Snapshot> {
  const res = await fetch(`${server.origin}/api/snapshot`, { headers: { Authorization: `Bearer ${server.token}` } });
  if (!res.ok) throw new Error(`GET /api/snapshot: ${res.status} ${await res.text()}`);
  return (await res.json()) as Snapshot;
}

/** `vigil token create --scope control`: the secret alone on stdout. */
export async function createToken(configDir: string, scope: 'read' | 'control'): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'token', 'create', '--scope', scope, '--label', 'e2e', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  // 'close', not 'exit': only then has all of stdout been read.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`vigil token create exited with ${code}`);
  return out.trim();
}

/** axe-core, from npm, evaluated in the page (evaluate is not subject to the page's CSP). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical accessibility violations axe finds on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Tab labels whose text does not fit in them (cut off), by their text. */
export async function clippedTabLabels(page: Page): Promise<string[]> {
  return page.$$eval('[role=tab]', (tabs) =>
    tabs.filter((tab) => tab.scrollWidth > tab.clientWidth || [...tab.children].some((c) => c.scrollWidth > c.clientWidth)).map((tab) => tab.textContent ?? ''),
  );
}

/**
 * What sticks out of the window sideways: the page's own overflow, and any visible element that
 * reaches past the right edge outside a scrolling container (the tab strip scrolls on purpose).
 */
export async function cutOffSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; className: string; textContent: string | null; getBoundingClientRect(): { right: number; width: number; left: number }; closest(s: string): unknown; checkVisibility?(): boolean };
    const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): Iterable<El> } };
    const out: string[] = [];
    const d = g.document.documentElement;
    if (d.scrollWidth > d.clientWidth) out.push(`the page is ${d.scrollWidth - d.clientWidth}px wider than the window`);
    for (const el of g.document.querySelectorAll('.app-header *, .banner *, .filter-bar *, .detail-header *, .log-header *')) {
      if (el.closest('.tabs') || (el.checkVisibility && !el.checkVisibility())) continue;
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.right > g.innerWidth + 0.5 || box.left < -0.5)) out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 30)}"`);
    }
    return out;
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The page's model (window.__vigil) reduced to what the server's snapshot also says. */
export interface ComparableModel {
  seq: number;
  projects: string[];
  plans: Record<string, string>;
  stubs: Record<string, string>;
  workorders: Record<string, string>;
}

type Row = { projectId: string; id: string; status: string; title: string; rawStatus?: string; progress?: { done: number; total: number } };
const describeRow = (r: Row): string => `${r.status}|${r.rawStatus ?? ''}|${r.progress ? `${r.progress.done}/${r.progress.total}` : ''}|${r.title}`;
const table = (rows: Row[]): Record<string, string> => Object.fromEntries(rows.map((r) => [`${r.projectId}/${r.id}`, describeRow(r)]).sort());

export function comparableSnapshot(s: Snapshot): ComparableModel {
  return {
    seq: s.seq,
    projects: s.projects.map((p) => p.id).sort(),
    plans: table(s.plans),
    stubs: table(s.stubs),
    workorders: table(s.workorders),
  };
}

export async function comparablePage(page: Page): Promise<ComparableModel> {
  const model = (await page.evaluate(() => (globalThis as unknown as { __vigil: { model(): unknown } }).__vigil.model())) as {
    lastSeq: number;
    projects: Record<string, unknown>;
    plans: Record<string, Row>;
    stubs: Record<string, Row>;
    workorders: Record<string, Row>;
  };
  return {
    seq: model.lastSeq,
    projects: Object.keys(model.projects).sort(),
    plans: table(Object.values(model.plans)),
    stubs: table(Object.values(model.stubs)),
    workorders: table(Object.values(model.workorders)),
  };
}
