// From an action's argv template to the program and arguments a run starts. Placeholders are
// replaced inside one argument and never split it: `{item.title}` holding `; rm -rf ~` is one
// argument, passed to the program as it is, because no shell ever reads it. An action that
// asks for a shell gets its script from argv[0] alone, and the placeholders as $1, $2, ….
import type { ActionSpec } from '../../shared/runs';

export interface PlaceholderItem {
  id: string;
  /** Relative to the project root, forward slashes. */
  path: string;
  title: string;
}

export interface PlaceholderValues {
  root: string;
  item: PlaceholderItem | null;
}

export interface CommandLine {
  file: string;
  args: string[];
}

/** An action that cannot be turned into a command line as it stands; the message says why. */
export class ActionTemplateError extends Error {
  readonly code = 'invalid';
}

const PLACEHOLDER = /\{(root|item\.id|item\.path|item\.title|item\.number)\}/g;
const HAS_PLACEHOLDER = new RegExp(PLACEHOLDER.source);
const NEEDS_ITEM = /\{item\.(id|path|title|number)\}/;

/** Does this action need an item to run (its argv names one)? */
export function needsItem(spec: Pick<ActionSpec, 'argv'>): boolean {
  return spec.argv.some((arg) => NEEDS_ITEM.test(arg));
}

/**
 * The number in an item's id: `02-01` for `gsd:plan:02-01`, `5` for `taskmaster:master:5`,
 * `001` for `speckit:feature:001-login`; '' when it has none.
 */
export function itemNumber(itemId: string): string {
  const local = itemId.split(':').slice(2).join(':') || itemId;
  return /\d+(?:[.-]\d+)*/.exec(local)?.[0] ?? '';
}

function expand(arg: string, values: PlaceholderValues, actionId: string): string {
  return arg.replace(PLACEHOLDER, (_match, name: string) => {
    if (name === 'root') return values.root;
    const item = values.item;
    if (!item) throw new ActionTemplateError(`Action "${actionId}" uses {${name}}: run it on an item (a plan or stub), not on the whole project.`);
    if (name === 'item.id') return item.id;
    if (name === 'item.path') return item.path;
    if (name === 'item.title') return item.title;
    return itemNumber(item.id);
  });
}

/** Refuse what cannot run safely, before anything starts. */
export function checkTemplate(spec: Pick<ActionSpec, 'id' | 'argv' | 'shell'>): void {
  if (spec.argv.some((arg) => arg.includes('\0'))) throw new ActionTemplateError(`Action "${spec.id}" has a NUL byte in its argv.`);
  if (spec.argv[0] === undefined || spec.argv[0].trim() === '') throw new ActionTemplateError(`Action "${spec.id}" names no program in argv[0].`);
  if (spec.shell && HAS_PLACEHOLDER.test(spec.argv[0])) {
    throw new ActionTemplateError(
      `Action "${spec.id}" is a shell script with a placeholder inside it; put placeholders in the next argv elements and refer to them as "$1", "$2", … in the script.`,
    );
  }
}

/** The program and its arguments for one run. */
export function commandLineFor(spec: Pick<ActionSpec, 'id' | 'argv' | 'shell'>, values: PlaceholderValues): CommandLine {
  checkTemplate(spec);
  const [first, ...rest] = spec.argv as [string, ...string[]];
  const args = rest.map((arg) => expand(arg, values, spec.id));
  if (spec.shell) {
    if (process.platform === 'win32') throw new ActionTemplateError(`Action "${spec.id}" asks for a shell, which Vigil runs only on macOS and Linux.`);
    // `sh -c script name args…`: the script sees the arguments as $1… and never as its own text.
    return { file: '/bin/sh', args: ['-c', first, spec.id, ...args] };
  }
  return { file: expand(first, values, spec.id), args };
}

/** A command line as a person reads it in a log: each argument quoted when it needs to be. */
export function displayCommand(line: CommandLine): string {
  return [line.file, ...line.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
