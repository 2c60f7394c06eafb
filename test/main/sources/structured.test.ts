import { describe, expect, test } from 'vitest';
import { readFrontmatter, readJson, readKeyValueLines } from '../../../main/sources/structured';

describe('structured readers', () => {
  test('JSON cut short points at its last line', () => {
    const read = readJson('a/tasks.json', '{\n  "tasks": [\n    {"id": 1');
    expect(read).toMatchObject({ ok: false, issue: { path: 'a/tasks.json', line: 3 } });
  });

  test('frontmatter with no closing fence is an issue, not a file that is all frontmatter', () => {
    const { fm, issue } = readFrontmatter('t.md', '---\nid: task-1\nstatus: Done\n');
    expect(issue).toMatchObject({ path: 't.md', message: 'Frontmatter is not closed by a --- line' });
    expect(fm.data).toEqual({});
  });

  test('a closed block and a leading horizontal rule are read as before', () => {
    expect(readFrontmatter('t.md', '---\r\nid: 2\r\n---\r\nx')).toEqual({ fm: { data: { id: 2 }, body: 'x', bodyLineOffset: 3 }, issue: null });
    expect(readFrontmatter('t.md', '----\nfoo').issue).toBeNull();
  });
});

describe('frontmatter is data, never code', () => {
  // gray-matter picked an engine from the text after the opening fence and ran `---js` blocks
  // through eval; a planning file in a watched project could run code inside Vigil.
  const marker = '__vigilFrontmatterRan';
  const hostile = (lang: string, code: string): string => `---${lang}\n${code}\n---\n# Plan\n`;

  test.each([
    ['js', `(globalThis.${marker} = 'js') && {}`],
    ['javascript', `(globalThis.${marker} = 'javascript') && {}`],
    ['coffee', `globalThis.${marker} = 'coffee'`],
    ['json', '{"id": 1}'],
    ['toml', 'id = 1'],
    [' yaml', 'id: 1'],
  ])('a block opened with ---%s is a parse issue and runs nothing', (lang, code) => {
    delete (globalThis as Record<string, unknown>)[marker];
    const { fm, issue } = readFrontmatter('p.md', hostile(lang, code));
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(fm.data).toEqual({});
    expect(fm.body).toBe('# Plan\n');
    expect(issue).toMatchObject({ path: 'p.md', line: 1, message: expect.stringMatching(/only YAML frontmatter is read/) });
  });

  test('a plain --- block is still YAML, with no engine chosen by the file', () => {
    expect(readFrontmatter('p.md', '---\nid: 1\n---\nbody')).toEqual({ fm: { data: { id: 1 }, body: 'body', bodyLineOffset: 3 }, issue: null });
  });
});

describe('frontmatter read line by line', () => {
  test('a block that is not YAML is read key by key when asked, with the issue kept', () => {
    const text = '---\ntitle: Fix: the gate latch\nassignee: @rosa\nlabels: [garden, "tools"]\ndepends:\n  - task-1\n  - task-2\n  nested: thing\n---\nbody';
    const strict = readFrontmatter('t.md', text);
    expect(strict.fm.data).toEqual({});
    const lenient = readFrontmatter('t.md', text, { lineByLine: true });
    expect(lenient.readLineByLine).toBe(true);
    expect(lenient.fm).toEqual({
      data: { title: 'Fix: the gate latch', assignee: '@rosa', labels: ['garden', 'tools'], depends: ['task-1', 'task-2'] },
      body: 'body',
      bodyLineOffset: 9,
    });
    expect(lenient.issue).toMatchObject({ path: 't.md', line: 1, message: expect.stringMatching(/not valid YAML.*line 8 could not be read/) });
  });

  test('reading line by line evaluates nothing and takes no prototype keys', () => {
    const { data, unread } = readKeyValueLines('__proto__: polluted\nconstructor: x\n!!js/function: y\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data).toEqual({ constructor: 'x' });
    expect(unread).toEqual([1, 3]);
  });
});

