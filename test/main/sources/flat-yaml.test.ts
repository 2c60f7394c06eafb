// The flat frontmatter reader must give exactly what the yaml package gives for every block it
// accepts, and leave everything else to the package. Random blocks are built from keys and
// values chosen to sit on the edges of the core schema (numbers that are not decimal ints,
// words the schema resolves, indicators, quotes, spacing), and every block the reader accepts
// is compared with the package's own parse.
//
// Two seeds run each time: a fixed one, and a fresh one that a failure message prints.
// Reproduce a failure with VIGIL_FUZZ_SEED=<seed> npx vitest run test/main/sources/flat-yaml.test.ts
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFlatYaml } from '../../../main/sources/flat-yaml';
import { readFrontmatter } from '../../../main/sources/structured';
import { seededRandom } from '../../../main/demo/random';

const FIXED_SEED = 0xf1a7;
const FRESH_SEED = Number(process.env.VIGIL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));

const KEYS = ['phase', 'plan', 'type', 'wave', 'depends_on', 'autonomous', 'status', 'some-key', '_x', 'e1', 'true', 'null', 'Yes', 'on', '__proto__', 'a b', '1st', 'key'];
const VALUES = [
  '', ' ', 'execute', '01-bench', '01', '0', '007', '123456789012345', '1234567890123456', '1', '-1', '+1', '1.5', '.5', '1.', '1e3', '1E3', '2e',
  '0x1F', '0o17', '0b1', '.inf', '-.inf', '.nan', '.NaN', 'inf', 'nan', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null',
  'NULL', '~', 'yes', 'no', 'on', 'off', 'y', 'n', '[]', '{}', '[a]', '[ ]', 'a b', 'a  b', 'a ', 'a #b', 'a#b', 'a: b', 'a:b', 'Fix: login', "it's",
  '"quoted"', '""', "'single'", "''", "'it''s'", '"a\\tb"', '"a\u0007b"', "'a\u0085b'", '"a # b"', '"a: b"', '"unclosed', "'unclosed", '&anchor a', '*alias', '!tag a',
  '!!str 1', '| text', '> text', '- item', '-item', '? q', '@handle', '`tick`', '%x', 'a/b/c', 'f(x)', 'v1.2.3', '1.2.3', '2024-01-01',
  '2024-01-01T10:00:00Z', '12:30', '1_000', '1,000', 'é', 'ü-text', 'a,b', 'a]', 'x\t', '\ttab', '<<', '=',
];
const LINES_OTHER = ['', '# comment', '  indented: x', '- item', 'key:  spaced', 'key :x', 'key:value', '...', '%YAML 1.1', '  - a', '\t', 'k: v # c', '"q": 1', 'k: v\r'];

function randomBlock(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.08) lines.push(pick(LINES_OTHER));
    else if (roll < 0.12) lines.push(`${pick(KEYS)}:`);
    else lines.push(`${pick(KEYS)}:${next() < 0.1 ? '   ' : ' '}${pick(VALUES)}`);
  }
  return lines.join('\n');
}

function packageParse(block: string): unknown {
  try {
    return parseYaml(block, { maxAliasCount: 100, logLevel: 'error' }) as unknown;
  } catch {
    return 'threw';
  }
}

describe('readFlatYaml', () => {
  test('reads a GSD plan block the way the yaml package does', () => {
    const block = 'phase: 01-bench\nplan: 01\ntype: execute\nwave: 1\ndepends_on: []\nautonomous: true\ntitle: "Wire the API"\nowner: \'ops\'\nnote:';
    const flat = readFlatYaml(block);
    expect(flat).toStrictEqual({ phase: '01-bench', plan: 1, type: 'execute', wave: 1, depends_on: [], autonomous: true, title: 'Wire the API', owner: 'ops', note: null });
    expect(flat).toStrictEqual(packageParse(block));
  });

  test('leaves every form it does not read to the package', () => {
    for (const block of ['a: 1.5', 'a: 0x1F', 'a: True', 'a: ~', 'a: x # c', 'a: [x]', 'a:\n  - x', 'a: 1\na: 2', 'true: x', 'a: "x\\ty"', '# c\na: 1', 'a: x\r', '__proto__: x', 'a: -1', 'a: 2024-01-01']) {
      expect(readFlatYaml(block), block).toBeNull();
    }
  });

  for (const seed of [FIXED_SEED, FRESH_SEED]) {
    test(`every block it accepts equals the yaml package's parse (seed ${seed})`, () => {
      const next = seededRandom(seed);
      let accepted = 0;
      for (let i = 0; i < 20_000; i++) {
        const block = randomBlock(next);
        const flat = readFlatYaml(block);
        if (flat === null) continue;
        accepted++;
        expect(flat, `seed ${seed}, block ${JSON.stringify(block)}`).toStrictEqual(packageParse(block) ?? {});
      }
      // The comparison means something only if a good share of the blocks took the fast path.
      expect(accepted).toBeGreaterThan(1_000);
    });
  }
});

describe('readFrontmatter with the flat reader', () => {
  test('gives the same fields, body and line offset as a parse by the yaml package alone', () => {
    const text = '---\nphase: 01-bench\nplan: 03\ndepends_on: []\nautonomous: false\n---\n# Plan\n\nBody line.\n';
    const read = readFrontmatter('.planning/phases/01-bench/01-03-PLAN.md', text);
    expect(read.issue).toBeNull();
    expect(read.fm).toStrictEqual({ data: { phase: '01-bench', plan: 3, depends_on: [], autonomous: false }, body: '# Plan\n\nBody line.\n', bodyLineOffset: 6 });
    expect(read.fm.data).toStrictEqual(packageParse('phase: 01-bench\nplan: 03\ndepends_on: []\nautonomous: false'));
  });

  test('still reports a repeated key as invalid frontmatter', () => {
    const read = readFrontmatter('PLAN.md', '---\nplan: 1\nplan: 2\n---\nbody\n');
    expect(read.issue?.message).toMatch(/^Invalid frontmatter: /);
    expect(read.fm.data).toStrictEqual({});
  });
});
