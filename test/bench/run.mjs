#!/usr/bin/env node
// `npm run bench [-- <name>…] [--repeat=N] [--markdown]`: runs each bench in its own process
// (so one bench's leftovers cannot skew the next), passes its table through, and ends with one
// summary of every target. --repeat=N runs the whole selection N times and judges the median
// of each figure (this machine is shared and noisy); --markdown adds the table for the docs.
// Exit code: non-zero when a bench failed an assertion (a lost update, a crash) in any run — a
// MISS of a performance target is reported, not an error.
import { spawn } from 'node:child_process';
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

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : Object.keys(BENCHES).filter((name) => !ON_REQUEST.has(name));
if (asked.length === 0) console.log(`running ${selected.join(', ')}; not by default: ${[...ON_REQUEST].join(', ')} (\`npm run bench -- soak\`)`);

function runOne(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, `${name}.ts`)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let result = null;
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('BENCH ')) {
          try {
            result = JSON.parse(line.slice(6));
          } catch {
            /* a torn line: the bench is reported as failed below */
          }
        }
      }
    });
    const timer = setTimeout(() => {
      console.error(`${name}: over its ${BENCHES[name]} s budget, killing it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, BENCHES[name] * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, code: code ?? (signal ? 1 : 0), result, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

const repeatArg = process.argv.find((a) => a.startsWith('--repeat='));
const repeat = Math.max(1, Math.min(10, Number(repeatArg?.slice('--repeat='.length)) || 1));

const started = Date.now();
/** name → every run of that bench, in order. */
const runs = new Map(selected.map((name) => [name, []]));
for (let r = 0; r < repeat; r++) {
  if (repeat > 1) console.log(`\n######## run ${r + 1} of ${repeat} ########`);
  for (const name of selected) runs.get(name).push(await runOne(name));
}
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
    console.log(`  ${row.verdict.padEnd(7)} ${row.metric}: ${fmt(row.vigil)}${range} ${row.unit} (target ${row.target.op} ${row.target.value})${ratios ? ` = ${ratios}` : ''}`);
  }
}
if (process.argv.includes('--markdown')) printMarkdown(outcomes);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;

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
    return {
      ...row,
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
      lines.push(`| ${o.name} | ${row.metric} | ${cell(row.vigil, row.unit)}${range} | ${baseline} | ${ratio} | ${row.target.op} ${row.target.value} | ${row.verdict} |`);
    }
  }
  const stamps = done.flatMap((o) => o.measuredAt).sort();
  const when = stamps.length ? `${stamps[0].slice(0, 16).replace('T', ' ')}–${stamps[stamps.length - 1].slice(11, 16)} UTC` : new Date().toISOString();
  const how = repeat > 1 ? `, median of ${repeat} runs (min–max)` : '';
  console.log(`\n== markdown (measured ${when}${how}) ==\n${lines.join('\n')}`);
}
