// Turning an action's argv into a command line: placeholders stay inside their argument.
import { expect, test } from 'vitest';
import { commandLineFor, displayCommand, itemNumber, needsItem } from '../../../main/runs/argv';

const item = { id: 'gsd:plan:02-01', path: '.planning/phases/02-auth/02-01-PLAN.md', title: 'Login; rm -rf ~' };

test('placeholders are replaced inside one argument and never split it', () => {
  const line = commandLineFor({ id: 'a', argv: ['claude', '-p', 'Do {item.title} from {item.path}', '{item.number}', '{root}'] }, { root: '/home/me/shop', item });
  expect(line).toEqual({ file: 'claude', args: ['-p', `Do ${item.title} from ${item.path}`, '02-01', '/home/me/shop'] });
});

test("a shell action gets its script from argv[0] only, and the placeholders as $1, $2", () => {
  const line = commandLineFor({ id: 'sh', argv: ['echo "$1"', '{item.title}'], shell: true }, { root: '/r', item });
  expect(line).toEqual({ file: '/bin/sh', args: ['-c', 'echo "$1"', 'sh', item.title] });
  expect(() => commandLineFor({ id: 'sh', argv: ['echo {item.title}'], shell: true }, { root: '/r', item })).toThrow(/shell script with a placeholder/);
});

test('item placeholders without an item, and a NUL byte, are refused with what to do', () => {
  expect(needsItem({ argv: ['x', '{item.id}'] })).toBe(true);
  expect(needsItem({ argv: ['x', '{root}'] })).toBe(false);
  expect(() => commandLineFor({ id: 'a', argv: ['x', '{item.id}'] }, { root: '/r', item: null })).toThrow(/run it on an item/);
  expect(() => commandLineFor({ id: 'a', argv: ['x', 'a\0b'] }, { root: '/r', item: null })).toThrow(/NUL/);
});

test('the number of an item is the number in its id', () => {
  expect(itemNumber('gsd:plan:02-01')).toBe('02-01');
  expect(itemNumber('gsd:phase:03')).toBe('03');
  expect(itemNumber('taskmaster:master:12')).toBe('12');
  expect(itemNumber('speckit:feature:001-login')).toBe('001');
  expect(itemNumber('bmad:story:1-2-cart')).toBe('1-2');
  expect(itemNumber('kiro:spec:login')).toBe('');
});

test('a command line reads back with the arguments that need it quoted', () => {
  expect(displayCommand({ file: 'claude', args: ['-p', "it's done", 'x.md'] })).toBe(`claude -p 'it'\\''s done' x.md`);
});
