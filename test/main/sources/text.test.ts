import { describe, expect, test } from 'vitest';
import { checkboxes, cleanText, isTempOrLock, parseCheckbox, titleFromSlug } from '../../../main/sources/text';

describe('text helpers', () => {
  test('a BOM and CRLF line endings are cleaned away', () => {
    expect(cleanText('\uFEFFa\r\nb\rc')).toBe('a\nb\nc');
  });

  test('checkboxes are found at any indent, in every spelling', () => {
    const boxes = checkboxes('- [ ] one\n  - [x] two\n\t* [X] three\n1. [ ] four\n☐ five\n☑ six\n- ✅ seven\nplain\n');
    expect(boxes.map((b) => [b.text, b.checked])).toEqual([
      ['one', false],
      ['two', true],
      ['three', true],
      ['four', false],
      ['five', false],
      ['six', true],
      ['seven', true],
    ]);
    expect(boxes[1]?.indent).toBe(2);
    expect(boxes[2]?.indent).toBe(4);
    expect(boxes[4]?.line).toBe(5);
  });

  test('a bare "[x] text" string counts as a checkbox, and Kiro optional marks are kept', () => {
    expect(parseCheckbox('[x] do thing')).toMatchObject({ checked: true, text: 'do thing' });
    expect(parseCheckbox('- [ ]* 2. Write tests')).toMatchObject({ checked: false, optional: true, text: '2. Write tests' });
    expect(parseCheckbox('not a [x] box')).toBeNull();
  });

  test('temp and lock files are recognised', () => {
    for (const p of ['.planning/STATE.md.lock', 'a/plan.json.tmp', 'x/.#file.md', 'x/.file.md.swp', 'x/file.md~', 'x/plan.json.tmp.1234']) {
      expect(isTempOrLock(p), p).toBe(true);
    }
    for (const p of ['.planning/STATE.md', 'coderef/working/a/plan.json', 'backlog/tasks/task-1 - Lock doors.md']) {
      expect(isTempOrLock(p), p).toBe(false);
    }
  });

  test('slugs become readable titles', () => {
    expect(titleFromSlug('02-user-auth')).toBe('02 user auth');
    expect(titleFromSlug('user_auth.md')).toBe('User auth');
  });
});
