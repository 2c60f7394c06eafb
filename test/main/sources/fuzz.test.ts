// Every adapter meets random bytes, token soup, every cut-off point of real files and
// structured files of the wrong shape. None of it may throw, every parse issue must name its
// file, and whatever derive() makes of it must still be a valid model.
//
// Two seeds run each time: a fixed one, and a fresh one that a failure message prints.
// Reproduce a failure with VIGIL_FUZZ_SEED=<seed> npx vitest run test/main/sources/fuzz.test.ts
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ADAPTERS } from '../../../main/sources';
import type { SourceAdapter, SourceItems } from '../../../main/sources/types';
import { ParseIssueSchema, PlanItemSchema, ReportedSchema, SOURCE_IDS, StubItemSchema, WorkorderItemSchema } from '../../../shared/model';
import { SAMPLES, type Sample } from './fuzz-samples';

const FIXED_SEED = 0x5eed1;
const FRESH_SEED = Number(process.env.VIGIL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const SEEDS = [FIXED_SEED, FRESH_SEED];

// How much of each kind of input per sample file and seed; sized to keep the file near 5 s on two cores.
const RANDOM_STRINGS = 15;
const SOUPS = 16;
const LINE_MUTATIONS = 12;
const SHAPE_MUTATIONS = 12;
const MAX_TRUNCATIONS = 120;
const DEEP = 100;

// ---- a seeded PRNG (mulberry32): the same seed gives the same inputs on every machine ----

class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

/** A per-file stream, so one case can be replayed without running everything before it. */
function rngFor(seed: number, ...keys: string[]): Rng {
  let h = seed >>> 0;
  for (const ch of keys.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return new Rng(h);
}

// ---- inputs ----

interface Case {
  label: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

function randomBytes(rng: Rng): Uint8Array {
  const bytes = new Uint8Array(rng.int(400));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  return bytes;
}

// Pieces that mean something to some parser: fences, boxes, brackets, markers, line ends.
const TOKENS = [
  '---', '---\n', '\n', '\r\n', '\r', '\uFEFF', '\t', '  ', '- [ ] ', '- [x] ', '- [X] ', '- [-] ', '- [ ]* ', '☐ ', '☑ ', '✅ ',
  '# ', '## ', '### Phase 1: ', '{', '}', '[', ']', '"', ':', ',', 'null', '0', '-1', '1e999', 'true', '"tasks"', '"status"',
  '"subtasks": ', '"id": ', 'status: ', 'id: ', 'title: ', 'statuses: ', '<!-- AC:BEGIN -->', '<!-- AC:END -->',
  '<task type="auto">', '</task>', '<name>', 'WO-X-001 | p | d | 2025-01-01T00:00:00Z\n', '**Status**: ', 'Status: ',
  '1. ', '1.1 ', 'T001 ', '&a ', '*a ', '!!binary ', '\u0000', '\uD83D\uDE80', '\u202E', 'é', '\\', '`',
];

function tokenSoup(rng: Rng, sample: string): string {
  let out = '';
  const pieces = 1 + rng.int(60);
  for (let i = 0; i < pieces; i++) {
    if (rng.next() < 0.6) {
      out += rng.pick(TOKENS);
    } else {
      const start = rng.int(sample.length + 1);
      out += sample.slice(start, start + 1 + rng.int(40));
    }
  }
  return out;
}

/** Delete, duplicate, swap and re-indent lines of a real file. */
function mutateLines(rng: Rng, sample: string): string {
  const lines = sample.split('\n');
  const edits = 1 + rng.int(6);
  for (let i = 0; i < edits && lines.length > 0; i++) {
    const at = rng.int(lines.length);
    const op = rng.int(4);
    if (op === 0) lines.splice(at, 1);
    else if (op === 1) lines.splice(at, 0, lines[at]!);
    else if (op === 2) lines[at] = ' '.repeat(rng.int(12)) + lines[at]!;
    else [lines[at], lines[0]] = [lines[0]!, lines[at]!];
  }
  return lines.join(rng.next() < 0.3 ? '\r\n' : '\n');
}

function truncations(text: string): number[] {
  if (text.length <= MAX_TRUNCATIONS) return Array.from({ length: text.length }, (_, i) => i);
  const step = text.length / MAX_TRUNCATIONS;
  return Array.from({ length: MAX_TRUNCATIONS }, (_, i) => Math.floor(i * step));
}

function deeplyNested(depth: number, asObject: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

const WRONG_VALUES: readonly unknown[] = [
  null, 0, -1, 1.5, 1e308, '', 'x', '   ', true, false, [], {}, [null], [1, 'two', null], { a: null },
  { tasks: null }, { tasks: {} }, deeplyNested(DEEP, false), deeplyNested(DEEP, true),
];

/** Every place in a parsed document a value sits, as key paths (bounded). */
function nodePaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 500 || prefix.length > 20) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => nodePaths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nodePaths(v, [...prefix, k], out);
  return out;
}

/** Replace one to three nodes of a document with values of the wrong shape. */
function mutateShape(rng: Rng, doc: unknown): unknown {
  let root: unknown = structuredClone(doc);
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits; i++) {
    const path = rng.pick(nodePaths(root));
    const wrong = structuredClone(rng.pick(WRONG_VALUES));
    if (path.length === 0) {
      root = wrong;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path[path.length - 1]!] = wrong;
  }
  return root;
}

type Format = 'json' | 'yaml' | 'frontmatter' | 'text';

function formatOf(sample: Sample): Format {
  if (/\.json$/i.test(sample.path)) return 'json';
  if (/\.ya?ml$/i.test(sample.path)) return 'yaml';
  if (/^---\n[\s\S]*?\n---\n/.test(sample.text)) return 'frontmatter';
  return 'text';
}

function splitFrontmatter(text: string): { data: unknown; body: string } {
  const end = text.indexOf('\n---\n', 3);
  return { data: parseYaml(text.slice(4, end)), body: text.slice(end + 5) };
}

function serialize(format: Format, value: unknown, body: string): string {
  if (format === 'json') return JSON.stringify(value, null, 2) ?? 'undefined';
  const yaml = stringifyYaml(value);
  return format === 'yaml' ? yaml : `---\n${yaml}---\n${body}`;
}

// Whole documents of the wrong shape, written the way each format would hold them.
function wrongDocuments(format: Format, sample: Sample): Case[] {
  if (format === 'text') return [];
  const body = format === 'frontmatter' ? splitFrontmatter(sample.text).body : '';
  const cases = WRONG_VALUES.map((value, i) => ({ label: `wrong document #${i}`, text: serialize(format, value, body) }));
  if (format === 'json') {
    cases.push({ label: 'unbalanced deep brackets', text: '['.repeat(DEEP * 5) });
    cases.push({ label: 'deep objects, cut', text: '{"a":'.repeat(DEEP * 5) });
    cases.push({ label: 'sample wrapped in a list', text: `[${sample.text}]` });
  } else {
    cases.push({ label: 'deep block list', text: (format === 'frontmatter' ? '---\n' : '') + Array.from({ length: DEEP }, (_, i) => `${' '.repeat(i * 2)}- a`).join('\n') + (format === 'frontmatter' ? '\n---\n' : '\n') });
  }
  if (format === 'frontmatter') {
    // Fences that name an engine: a frontmatter reader that honours them runs the block as code.
    for (const lang of ['js', 'javascript', 'coffee', 'toml', 'json']) {
      cases.push({ label: `---${lang} fence`, text: `---${lang}\nthrow new Error('ran')\n---\n${body}` });
    }
  }
  return cases;
}

function shapeMutations(rng: Rng, format: Format, sample: Sample): Case[] {
  if (format === 'text') return [];
  const { data, body } =
    format === 'json' ? { data: JSON.parse(sample.text) as unknown, body: '' }
    : format === 'yaml' ? { data: parseYaml(sample.text) as unknown, body: '' }
    : splitFrontmatter(sample.text);
  return Array.from({ length: SHAPE_MUTATIONS }, (_, i) => ({
    label: `shape mutation #${i}`,
    text: serialize(format, mutateShape(rng, data), body),
  }));
}

// ---- checks ----

const ItemsSchema = z.object({
  plans: z.array(PlanItemSchema),
  stubs: z.array(StubItemSchema),
  workorders: z.array(WorkorderItemSchema),
  reported: z.array(ReportedSchema),
  issues: z.array(ParseIssueSchema),
});

// An adapter that catches its own crash still must not have crashed: these are the JS engine's words.
const CRASH = /TypeError|RangeError|ReferenceError|Cannot read propert|is not a function|is not iterable|Maximum call stack/;

function issueProblems(issues: readonly unknown[], path: string | null): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const valid = ParseIssueSchema.safeParse(issue);
    if (!valid.success) problems.push(`invalid issue ${JSON.stringify(issue)}`);
    else if (path !== null ? valid.data.path !== path : valid.data.path === '') problems.push(`issue without its path: ${JSON.stringify(issue)}`);
    else if (valid.data.line !== null && valid.data.line < 1) problems.push(`issue line is not 1-based: ${JSON.stringify(issue)}`);
    else if (CRASH.test(valid.data.message)) problems.push(`a crash reported as an issue: ${valid.data.message}`);
  }
  return problems;
}

function itemProblems(adapter: SourceAdapter, items: SourceItems): string[] {
  const valid = ItemsSchema.safeParse(items);
  if (!valid.success) return [`derive output does not match the model: ${valid.error.message.slice(0, 500)}`];
  const problems = issueProblems(items.issues, null);
  for (const list of [items.plans, items.stubs]) {
    const ids = new Set<string>();
    for (const item of list) {
      if (item.source !== adapter.id) problems.push(`item ${item.id} has source ${item.source}`);
      if (!item.id.startsWith(`${adapter.id}:`)) problems.push(`item id ${item.id} does not start with the source`);
      if (ids.has(item.id)) problems.push(`duplicate id ${item.id}`);
      ids.add(item.id);
    }
  }
  for (const plan of items.plans) {
    if (plan.progress.done > plan.progress.total) problems.push(`plan ${plan.id} is ${plan.progress.done}/${plan.progress.total}`);
  }
  return problems;
}

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Parse one input and derive it with the adapter's other sample files; return what went wrong. */
function problemsWith(adapter: SourceAdapter, base: ReadonlyMap<string, unknown>, path: string, text: string): string[] {
  const parsed = attempt(() => adapter.parse(path, text));
  if (parsed instanceof Error) return [`parse threw: ${parsed.stack ?? parsed.message}`];
  const problems = issueProblems(parsed.issues, path);
  const files = new Map(base);
  if (parsed.facts !== null) files.set(path, parsed.facts);
  const items = attempt(() => adapter.derive(files));
  if (items instanceof Error) return [...problems, `derive threw: ${items.stack ?? items.message}`];
  return [...problems, ...itemProblems(adapter, items)];
}

function expectClean(adapter: SourceAdapter, base: ReadonlyMap<string, unknown>, path: string, cases: Iterable<Case>, seed: number | null): void {
  for (const c of cases) {
    const problems = problemsWith(adapter, base, path, c.text);
    if (problems.length > 0) {
      const where = seed === null ? '' : ` [seed ${seed}; rerun with VIGIL_FUZZ_SEED=${seed}]`;
      expect.fail(`${adapter.id} ${path} (${c.label})${where}\n${problems.join('\n')}\ninput: ${JSON.stringify(c.text.slice(0, 600))}`);
    }
  }
}

// ---- the tests ----

function ownedSamples(adapter: SourceAdapter): Sample[] {
  return Object.values(SAMPLES).flat().filter((s) => adapter.owns(s.path));
}

/** Facts of all the adapter's untouched samples: the project each mutated file is dropped into. */
function baseFacts(adapter: SourceAdapter): Map<string, unknown> {
  const base = new Map<string, unknown>();
  for (const s of ownedSamples(adapter)) {
    const facts = adapter.parse(s.path, s.text).facts;
    if (facts !== null) base.set(s.path, facts);
  }
  return base;
}

describe.each(ADAPTERS.map((adapter) => [adapter.id, adapter] as const))('fuzzing the %s adapter', (_id, adapter) => {
  const samples = ownedSamples(adapter);
  const base = baseFacts(adapter);

  test('owns a sample of every file kind, and the samples themselves read cleanly into a valid model', () => {
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expectClean(adapter, base, s.path, [{ label: 'sample', text: s.text }], null);
    expect(issueProblems([], null)).toEqual([]);
    expect(itemProblems(adapter, adapter.derive(new Map()))).toEqual([]);
  });

  test('owns() answers any path, however odd, without throwing', () => {
    const parts = [...new Set(Object.values(SAMPLES).flat().flatMap((s) => s.path.split('/')))];
    const odd = ['', '.', '..', '\\', '//', ' ', 'archive', '2025-01-01-', '.lock', '~', '\u0000', 'é'];
    for (const seed of SEEDS) {
      const rng = rngFor(seed, adapter.id, 'paths');
      for (let i = 0; i < 200; i++) {
        const path = Array.from({ length: 1 + rng.int(6) }, () => (rng.next() < 0.7 ? rng.pick(parts) : rng.pick(odd))).join(rng.next() < 0.9 ? '/' : '\\');
        const owned = attempt(() => adapter.owns(path));
        if (typeof owned !== 'boolean') expect.fail(`${adapter.id}.owns(${JSON.stringify(path)}) gave ${String(owned)} [seed ${seed}]`);
      }
    }
  });

  test('random bytes, token soup and shuffled lines never throw', () => {
    for (const seed of SEEDS) {
      for (const s of samples) {
        const rng = rngFor(seed, adapter.id, s.path, 'random');
        const cases: Case[] = [];
        for (let i = 0; i < RANDOM_STRINGS; i++) {
          const bytes = randomBytes(rng);
          cases.push({ label: `random bytes #${i} as UTF-8`, text: utf8.decode(bytes) });
          cases.push({ label: `random bytes #${i} as latin1`, text: latin1.decode(bytes) });
        }
        for (let i = 0; i < SOUPS; i++) cases.push({ label: `token soup #${i}`, text: tokenSoup(rng, s.text) });
        for (let i = 0; i < LINE_MUTATIONS; i++) cases.push({ label: `line mutation #${i}`, text: mutateLines(rng, s.text) });
        expectClean(adapter, base, s.path, cases, seed);
      }
    }
  });

  test('a file cut off at any point never throws', () => {
    for (const s of samples) {
      const crlf = '\uFEFF' + s.text.replace(/\n/g, '\r\n');
      const cases = [
        ...truncations(s.text).map((at) => ({ label: `cut at ${at}`, text: s.text.slice(0, at) })),
        ...truncations(crlf).filter((_, i) => i % 5 === 0).map((at) => ({ label: `BOM+CRLF cut at ${at}`, text: crlf.slice(0, at) })),
      ];
      expectClean(adapter, base, s.path, cases, null);
    }
  });

  test('structured files of the wrong shape never throw', () => {
    for (const s of samples) {
      const format = formatOf(s);
      expectClean(adapter, base, s.path, wrongDocuments(format, s), null);
      // Alone, too: derive must cope when the odd file is the only one.
      expectClean(adapter, new Map(), s.path, wrongDocuments(format, s), null);
      for (const seed of SEEDS) expectClean(adapter, base, s.path, shapeMutations(rngFor(seed, adapter.id, s.path, 'shape'), format, s), seed);
    }
  });
});

test('the fuzz covers every convention', () => {
  expect(ADAPTERS.map((a) => a.id).sort()).toEqual([...SOURCE_IDS].sort());
});
