import { describe, expect, test } from 'vitest';
import { readFrontmatter, readJson } from '../../../main/sources/structured';

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
