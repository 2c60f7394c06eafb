import { describe, expect, test } from 'vitest';
import { isAbsoluteAnyOs, parseProjectList } from '../../../main/engine/import-projects';

describe('parseProjectList', () => {
  test('projects.json: {projects: [{name, path}]}, Windows paths included', () => {
    const text = JSON.stringify({
      projects: [
        { name: 'coderef-system', path: 'C:\\Users\\willh\\Desktop\\projects\\coderef-system' },
        { name: 'scrapper', path: '/home/dev/scrapper' },
        { name: 'notes', path: 'notes' },
      ],
    });
    expect(parseProjectList(text)).toEqual({
      entries: [
        { id: null, name: 'coderef-system', path: 'C:\\Users\\willh\\Desktop\\projects\\coderef-system', absolute: true },
        { id: null, name: 'scrapper', path: '/home/dev/scrapper', absolute: true },
        { id: null, name: 'notes', path: 'notes', absolute: false },
      ],
      issues: [],
    });
  });

  test('projects.config.json: {projects: [{id, name, path, …}]} with extra fields, a BOM and CRLF', () => {
    const text =
      '\uFEFF{\r\n  "version": "1.0",\r\n  "projects": [\r\n' +
      '    {"id": "next-multi-tenant", "name": "Next Multi-Tenant", "path": "C:/Users/willh/Desktop/next-multi-tenant", "has_coderef": true, "tags": ["web"]},\r\n' +
      '    {"id": 7, "name": "Seven", "path": "\\\\\\\\nas\\\\share\\\\seven"}\r\n  ]\r\n}\r\n';
    const result = parseProjectList(text, 'projects.config.json');
    expect(result.issues).toEqual([]);
    expect(result.entries).toEqual([
      { id: 'next-multi-tenant', name: 'Next Multi-Tenant', path: 'C:/Users/willh/Desktop/next-multi-tenant', absolute: true },
      { id: '7', name: 'Seven', path: '\\\\nas\\share\\seven', absolute: true },
    ]);
  });

  test('entries without a path are reported, a missing name comes from the folder, duplicates are merged', () => {
    const text = JSON.stringify({
      projects: [{ name: 'no path' }, 42, { path: 'D:\\work\\api\\' }, { path: 'd:\\work\\api' }],
    });
    const result = parseProjectList(text, 'projects.json');
    expect(result.entries).toEqual([{ id: null, name: 'api', path: 'D:\\work\\api\\', absolute: true }]);
    expect(result.issues).toEqual([
      { path: 'projects.json', line: null, message: 'projects[0] has no path' },
      { path: 'projects.json', line: null, message: 'projects[1] is not a project entry' },
    ]);
  });

  test('POSIX paths differing in case are different folders', () => {
    expect(parseProjectList('{"projects":[{"path":"/code/App"},{"path":"/code/app/"}]}').entries).toHaveLength(2);
  });

  test('a bare array and a name → path map are accepted too', () => {
    expect(parseProjectList('[{"name":"a","path":"/a"}]').entries).toEqual([{ id: null, name: 'a', path: '/a', absolute: true }]);
    expect(parseProjectList('{"projects":{"shop":"~/code/shop"}}').entries).toEqual([
      { id: null, name: 'shop', path: '~/code/shop', absolute: true },
    ]);
  });

  test('broken JSON or an unexpected shape is an issue, never a throw', () => {
    expect(parseProjectList('{"projects": [', 'projects.json')).toMatchObject({
      entries: [],
      issues: [{ path: 'projects.json', message: expect.stringMatching(/^Not valid JSON/) }],
    });
    expect(parseProjectList('{"items": []}').issues[0]?.message).toMatch(/Expected a "projects" list/);
    expect(parseProjectList('null').entries).toEqual([]);
  });
});

describe('isAbsoluteAnyOs', () => {
  test('POSIX, home, drive letters and UNC are absolute; the rest is relative', () => {
    expect(['/x', '~/x', 'C:\\x', 'c:/x', '\\\\srv\\x'].map(isAbsoluteAnyOs)).toEqual([true, true, true, true, true]);
    expect(['x', './x', '..\\x', 'C:x'].map(isAbsoluteAnyOs)).toEqual([false, false, false, false]);
  });
});
