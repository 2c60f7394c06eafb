#!/usr/bin/env node
// `npm run bench [-- <name>…] [--repeat=N] [--markdown]`: runs each bench in its own process
// (so one bench's leftovers cannot skew the next), passes its table through, and ends with one
// summary of every target. --repeat=N runs the whole selection N times and judges the median
// of each figure (this machine is shared and noisy); --markdown adds the table for the docs.
// Exit code: non-zero when a bench failed an assertion (a lost update, a crash) in any run — a
// MISS of a performance target is reported, not an error.
//
// The fixtures that take a minute or more to make (the scale workspace, a million-event
// history) are made once per invocation by fixtures.ts, handed to every bench and repeat that
// uses them through the environment (lib/shared-fixtures.ts), and removed at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

/** Name → budget in seconds; a bench past its budget is killed and counted as failed. */
const BENCHES = {
  latency: 360,
  scale: 480,
  fanout: 240,
  apply: 120,
  heartbeat: 180,
  burst: 300,
  // 10 minutes of load by default (BENCH_SOAK_SECONDS shortens it), plus start and settle.
  soak: Number(process.env.BENCH_SOAK_SECONDS ?? 600) + 300,
  runs: 300,
  history: 900,
  hooks: 300,
  browser: 600,
  startup: 600,
};

/** Run only when named: the soak alone is 10 minutes, and the default run stays under 15. */
const ON_REQUEST = new Set(['soak']);

/** Which shared fixture a bench uses (lib/shared-fixtures.ts). */
const USES = { scale: 'tree', history: 'history', startup: 'history' };
/** Seconds fixtures.ts may take: 400,000 files and a million events on a busy disk. */
const FIXTURE_BUDGET = 600;

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : Object.keys(BENCHES).filter((name) => !ON_REQUEST.has(name));
if (asked.length === 0) console.log(`running ${selected.join(', ')}; not by default: ${[...ON_REQUEST].join(', ')} (\`npm run bench -- soak\`)`);

/** The bench running now, so a Ctrl-C can stop it before the fixtures go. */
let current = null;

/** Run a script of this folder in its own process; resolves with its exit code and its last `<prefix> {...}` line. */
function runScript(file, args, budget, prefix, env) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, file), ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    current = child;
    let result = null;
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith(`${prefix} `)) {
          try {
            result = JSON.parse(line.slice(prefix.length + 1));
          } catch {
            /* a torn line: the bench is reported as failed below */
          }
        }
      }
    });
    const timer = setTimeout(() => {
      console.error(`${file}: over its ${budget} s budget, killing it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, budget * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = null;
      resolve({ code: code ?? (signal ? 1 : 0), result, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

async function runOne(name, env) {
  const run = await runScript(`${name}.ts`, [], BENCHES[name], 'BENCH', env);
  console.log(`-- ${name}: ${run.seconds} s (wall) --`);
  return { name, ...run };
}

/** The shared fixtures the selection uses, made once: env for the benches, and what it cost. */
async function makeFixtures(names) {
  const uses = new Set(names.map((name) => USES[name]).filter(Boolean));
  if (uses.size === 0) return { env: {}, seconds: 0 };
  fixtureDir = mkdtempSync(join(tmpdir(), 'vigil-bench-shared-'));
  const args = [fixtureDir];
  // Start-up and history use the first 50 projects of the same workspace.
  if (names.includes('scale')) args.push(`--tree=${Number(process.env.BENCH_SCALE_PROJECTS ?? 200)}`);
  if (uses.has('history')) args.push('--history');
  console.log(`making the shared fixtures (${[...uses].join(', ')}) for ${names.filter((name) => USES[name]).join(', ')}…`);
  const made = await runScript('fixtures.ts', args, FIXTURE_BUDGET, 'FIXTURES', {});
  if (made.code !== 0 || !made.result) {
    console.error(`the shared fixtures could not be made (exit ${made.code}); each bench makes its own`);
    return { env: {}, seconds: made.seconds };
  }
  const r = made.result;
  console.log(
    `-- fixtures: ${made.seconds} s (wall)` +
      (r.tree ? `: ${r.projects} projects, ${r.files} files in ${(r.treeMs / 1000).toFixed(1)} s` : '') +
      (r.history ? `; ${r.events} events in ${(r.historyMs / 1000).toFixed(1)} s` : '') +
      ' --',
  );
  const env = {};
  if (r.tree) env.BENCH_SHARED_TREE = r.tree;
  if (r.history) env.BENCH_SHARED_HISTORY = r.history;
  return { env, seconds: made.seconds };
}

let fixtureDir = null;
function removeFixtures() {
  if (!fixtureDir) return 0;
  const started = Date.now();
  rmSync(fixtureDir, { recursive: true, force: true });
  fixtureDir = null;
  return Math.round((Date.now() - started) / 1000);
}
process.on('exit', removeFixtures);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (current?.exitCode === null) current.kill('SIGTERM');
    console.error(`${signal}: removing the shared fixtures`);
    removeFixtures();
    process.exit(130);
  });
}

const repeatArg = process.argv.find((a) => a.startsWith('--repeat='));
const repeat = Math.max(1, Math.min(10, Number(repeatArg?.slice('--repeat='.length)) || 1));

const started = Date.now();
// One code cache folder for the run's serves (lib/vigil.ts codeCacheDir): the run's first start
// of the build writes V8's cache, as a user's first start does, and the rest use it.
const codeCacheDir = mkdtempSync(join(tmpdir(), 'vigil-bench-code-cache-'));
process.on('exit', () => rmSync(codeCacheDir, { recursive: true, force: true }));
process.env.VIGIL_CACHE_DIR = codeCacheDir;
const fixtures = await makeFixtures(selected);
/** name → every run of that bench, in order. */
const runs = new Map(selected.map((name) => [name, []]));
for (let r = 0; r < repeat; r++) {
  if (repeat > 1) console.log(`\n######## run ${r + 1} of ${repeat} ########`);
  for (const name of selected) runs.get(name).push(await runOne(name, fixtures.env));
}
const removalSeconds = removeFixtures();
const outcomes = selected.map((name) => mergeRuns(name, runs.get(name)));

const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3)) : String(v));
console.log(`\n== summary (${Math.round((Date.now() - started) / 1000)} s${repeat > 1 ? `, median of ${repeat} runs (min–max)` : ''}) ==`);
for (const o of outcomes) {
  const status = o.ok ? 'ok' : `FAILED (${o.failures.join('; ')})`;
  console.log(`${o.name}: ${status} in ${o.seconds} s`);
  for (const row of o.rows) {
    if (!row.verdict) continue;
    const range = repeat > 1 ? ` (${fmt(row.min)}–${fmt(row.max)})` : '';
    const ratios = (row.baselines ?? []).map((b) => `${b.ratio === null || b.ratio === undefined ? '—' : `${fmt(b.ratio)}×`} ${b.name}`).join(' · ');
    console.log(`  ${row.verdict.padEnd(7)} ${row.metric}: ${fmt(row.vigil)}${range}${row.runsNote} ${row.unit} (target ${row.target.op} ${row.target.value})${ratios ? ` = ${ratios}` : ''}`);
  }
}
if (process.argv.includes('--markdown')) printMarkdown(outcomes);
printWallTimes();
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;

/** Where the time went: each bench (each run), the shared fixtures, and the whole invocation. */
function printWallTimes() {
  console.log('\n== wall time ==');
  if (fixtures.seconds > 0) console.log(`  fixtures made: ${fixtures.seconds} s`);
  for (const name of selected) {
    const list = runs.get(name);
    const total = list.reduce((n, o) => n + o.seconds, 0);
    console.log(`  ${name}: ${total} s${list.length > 1 ? ` (${list.map((o) => o.seconds).join(' + ')})` : ''}`);
  }
  if (removalSeconds > 0) console.log(`  fixtures removed: ${removalSeconds} s`);
  const all = Math.round((Date.now() - started) / 1000);
  console.log(`  total: ${all} s (${Math.floor(all / 60)} min ${all % 60} s)`);
}

function medianOf(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  return xs.length ? xs[Math.ceil(xs.length / 2) - 1] : null;
}

function verdictOf(value, target) {
  if (value === null) return 'NOT RUN';
  const { op, value: t } = target;
  const ok = op === '<=' ? value <= t : op === '<' ? value < t : op === '>=' ? value >= t : value === t;
  return ok ? 'PASS' : 'MISS';
}

/** One result per bench: each figure the median over its runs (nearest rank, a measured value). */
function mergeRuns(name, list) {
  const failures = list.filter((o) => !(o.code === 0 && o.result?.ok)).map((o) => `exit ${o.code}${o.result ? '' : ', no BENCH line'}`);
  const first = list.find((o) => o.result)?.result;
  const rows = (first?.rows ?? []).map((row, i) => {
    const same = list.map((o) => o.result?.rows?.[i]).filter((r) => r && r.metric === row.metric);
    const values = same.map((r) => r.vigil);
    const vigil = medianOf(values);
    const baselines = (row.baselines ?? []).map((b, k) => {
      const value = medianOf(same.map((r) => r.baselines?.[k]?.value));
      return { name: b.name, value, ratio: vigil !== null && value ? vigil / value : null };
    });
    const finite = values.filter((v) => typeof v === 'number');
    // A row whose name changed between runs is matched only where it did not: say so beside its figure.
    const measuredIn = list.filter((o) => o.result).length;
    return {
      ...row,
      runsNote: same.length < measuredIn ? ` [in ${same.length} of ${measuredIn} runs: its name differed]` : '',
      vigil,
      min: finite.length ? Math.min(...finite) : null,
      max: finite.length ? Math.max(...finite) : null,
      baselines,
      verdict: row.target ? verdictOf(vigil, row.target) : null,
    };
  });
  return {
    name,
    ok: failures.length === 0,
    failures,
    rows,
    seconds: list.reduce((n, o) => n + o.seconds, 0),
    measuredAt: list.map((o) => o.result?.measuredAt).filter(Boolean),
  };
}

/** The targets of every bench as one Markdown table, for docs/bench.md and the README. */
function printMarkdown(done) {
  const cell = (v, unit) => (v === null || v === undefined ? '—' : `${fmt(v)}${unit && unit !== '' ? ` ${unit}` : ''}`);
  const lines = ['| bench | metric | Vigil | baseline | Vigil ÷ baseline | target | |', '|---|---|---|---|---|---|---|'];
  for (const o of done) {
    for (const row of o.rows) {
      if (!row.verdict) continue;
      const bs = row.baselines ?? [];
      const baseline = bs.length ? bs.map((b) => `${cell(b.value, row.unit)} (${b.name})`).join(' · ') : '—';
      const ratio = bs.length ? bs.map((b) => (b.ratio === null || b.ratio === undefined ? '—' : `${fmt(b.ratio)}×`)).join(' · ') : '—';
      const range = repeat > 1 ? ` (${fmt(row.min)}–${fmt(row.max)})` : '';
      lines.push(`| ${o.name} | ${row.metric} | ${cell(row.vigil, row.unit)}${range}${row.runsNote} | ${baseline} | ${ratio} | ${row.target.op} ${row.target.value} | ${row.verdict} |`);
    }
  }
  const stamps = done.flatMap((o) => o.measuredAt).sort();
  const when = stamps.length ? `${stamps[0].slice(0, 16).replace('T', ' ')}–${stamps[stamps.length - 1].slice(11, 16)} UTC` : new Date().toISOString();
  const how = repeat > 1 ? `, median of ${repeat} runs (min–max)` : '';
  console.log(`\n== markdown (measured ${when}${how}) ==\n${lines.join('\n')}`);
}
