#!/usr/bin/env node
// `npm run bench [-- <name>…]`: runs each bench in its own process (so one bench's leftovers
// cannot skew the next), passes its table through, and ends with one summary of every target.
// Exit code: non-zero when a bench failed an assertion (a lost update, a crash) — a MISS of a
// performance target is reported, not an error.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

/** Name → budget in seconds; a bench past its budget is killed and counted as failed. */
const BENCHES = {
  latency: 360,
  scale: 300,
  fanout: 240,
  apply: 120,
  heartbeat: 180,
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : Object.keys(BENCHES);

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

const started = Date.now();
const outcomes = [];
for (const name of selected) outcomes.push(await runOne(name));

const fmt = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3)) : String(v));
console.log(`\n== summary (${Math.round((Date.now() - started) / 1000)} s) ==`);
for (const o of outcomes) {
  const status = o.code === 0 && o.result?.ok ? 'ok' : `FAILED (exit ${o.code}${o.result ? '' : ', no BENCH line'})`;
  console.log(`${o.name}: ${status} in ${o.seconds} s`);
  for (const row of o.result?.rows ?? []) {
    if (!row.verdict) continue;
    console.log(`  ${row.verdict.padEnd(7)} ${row.metric}: ${fmt(row.vigil)} ${row.unit} (target ${row.target.op} ${row.target.value})`);
  }
}
if (process.argv.includes('--markdown')) printMarkdown(outcomes);
process.exitCode = outcomes.every((o) => o.code === 0 && o.result?.ok) ? 0 : 1;

/** The targets of every bench as one Markdown table, for docs/bench.md and the README. */
function printMarkdown(done) {
  const cell = (v, unit) => (v === null || v === undefined ? '—' : `${fmt(v)}${unit && unit !== '' ? ` ${unit}` : ''}`);
  const lines = ['| bench | metric | Vigil | baseline | Vigil ÷ baseline | target | |', '|---|---|---|---|---|---|---|'];
  for (const o of done) {
    for (const row of o.result?.rows ?? []) {
      if (!row.verdict) continue;
      const bs = row.baselines ?? [];
      const baseline = bs.length ? bs.map((b) => `${cell(b.value, row.unit)} (${b.name})`).join(' · ') : '—';
      const ratio = bs.length ? bs.map((b) => (b.ratio === null || b.ratio === undefined ? '—' : `${fmt(b.ratio)}×`)).join(' · ') : '—';
      lines.push(`| ${o.name} | ${row.metric} | ${cell(row.vigil, row.unit)} | ${baseline} | ${ratio} | ${row.target.op} ${row.target.value} | ${row.verdict} |`);
    }
  }
  const stamp = outcomes.map((o) => o.result?.measuredAt).filter(Boolean)[0] ?? new Date().toISOString();
  console.log(`\n== markdown (measured ${stamp.slice(0, 16).replace('T', ' ')} UTC) ==\n${lines.join('\n')}`);
}
