// How every bench reports: a table where each Vigil figure sits beside the baseline measured
// in the same run and their ratio, a PASS/MISS per target of issue 6, and one line
// `BENCH {...}` that run.mjs (and CI) read back.

export type Op = '<=' | '<' | '>=' | '==';

export interface Target {
  op: Op;
  value: number;
}

export interface BaselineFigure {
  name: string;
  value: number | null;
}

export interface Row {
  metric: string;
  unit: string;
  /** null when the Vigil side could not be measured (the reason goes in the notes). */
  vigil: number | null;
  baselines?: BaselineFigure[];
  target?: Target;
}

export type Verdict = 'PASS' | 'MISS' | 'NOT RUN' | '';

export function verdictOf(row: Row): Verdict {
  if (!row.target) return '';
  if (row.vigil === null || !Number.isFinite(row.vigil)) return 'NOT RUN';
  const { op, value } = row.target;
  const v = row.vigil;
  const ok = op === '<=' ? v <= value : op === '<' ? v < value : op === '>=' ? v >= value : v === value;
  return ok ? 'PASS' : 'MISS';
}

/** Vigil ÷ baseline; null when either side is missing. A zero baseline gives Infinity. */
export function ratioOf(vigil: number | null, baseline: number | null): number | null {
  if (vigil === null || baseline === null || !Number.isFinite(vigil) || !Number.isFinite(baseline)) return null;
  if (baseline === 0) return vigil === 0 ? 1 : Number.POSITIVE_INFINITY;
  return vigil / baseline;
}

export function fmt(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞';
  const abs = Math.abs(value);
  const digits = abs === 0 || Number.isInteger(value) ? 0 : abs < 1 ? 3 : abs < 10 ? 2 : abs < 100 ? 1 : 0;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

const fmtRatio = (r: number | null): string => (r === null ? '—' : `${fmt(r)}×`);
const fmtTarget = (t: Target | undefined, unit: string): string => (t ? `${t.op} ${fmt(t.value, unit)}` : '');

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  return cells
    .map((row) => row.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join('  ').trimEnd())
    .join('\n');
}

export interface BenchResult {
  bench: string;
  rows: Row[];
  notes: string[];
  /** Facts about the run (sizes, durations, what drove the events). */
  setup: Record<string, unknown>;
  /** False when a correctness assertion failed: the process exits non-zero. */
  ok: boolean;
}

export function renderTable(rows: Row[]): string {
  const cells: string[][] = [['metric', 'Vigil', 'baseline', 'baseline value', 'Vigil/baseline', 'target', 'verdict']];
  for (const row of rows) {
    const baselines = row.baselines?.length ? row.baselines : [null];
    baselines.forEach((b, i) => {
      cells.push([
        i === 0 ? row.metric : '',
        i === 0 ? fmt(row.vigil, row.unit) : '',
        b ? b.name : '',
        b ? fmt(b.value, row.unit) : '',
        b ? fmtRatio(ratioOf(row.vigil, b.value)) : '',
        i === 0 ? fmtTarget(row.target, row.unit) : '',
        i === 0 ? verdictOf(row) : '',
      ]);
    });
  }
  return pad(cells);
}

/** Print the table, the notes and the machine-readable line; set the exit code. */
export function report(result: BenchResult): void {
  const lines = [`\n== ${result.bench} ==`, renderTable(result.rows)];
  for (const [key, value] of Object.entries(result.setup)) lines.push(`  setup ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  process.stdout.write(lines.join('\n') + '\n');
  const json = {
    bench: result.bench,
    ok: result.ok,
    measuredAt: new Date().toISOString(),
    rows: result.rows.map((row) => ({
      metric: row.metric,
      unit: row.unit,
      vigil: row.vigil,
      baselines: (row.baselines ?? []).map((b) => ({ ...b, ratio: ratioOf(row.vigil, b.value) })),
      target: row.target ?? null,
      verdict: verdictOf(row) || null,
    })),
    setup: result.setup,
    notes: result.notes,
  };
  process.stdout.write(`BENCH ${JSON.stringify(json)}\n`);
  if (!result.ok) process.exitCode = 1;
}
