// What every command does with its arguments: util.parseArgs over the command's spec (specs.ts),
// `--help` printed from that same spec (so no option can be missing from it), and a usage
// error as one line that says what was wrong and where the help is (exit 2).
import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpec } from './specs';

type ParseOptions<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: { type: O[K]['type']; short?: string; multiple: O[K]['multiple'] extends true ? true : false };
};
type Parsed<O extends Record<string, OptionSpec>> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: ParseOptions<O> & { help: { type: 'boolean'; short: 'h' } } }>
>;

/** Exit code of a command line that cannot be run as written. */
export const USAGE_EXIT = 2;

/**
 * The parsed arguments, or the exit code when there is nothing more to do (help shown, or
 * bad usage). A command whose spec takes no positionals treats one as a usage error.
 */
export function parseCommandArgs<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, args: string[]): Parsed<O> | number {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options, strict: true });
  } catch (err) {
    return usageError(spec.name, firstSentence((err as Error).message));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(commandHelp(spec));
    return 0;
  }
  if (spec.positionals === 'none' && parsed.positionals.length > 0) {
    return usageError(spec.name, `takes no folder or other argument (got ${JSON.stringify(parsed.positionals[0])})`);
  }
  if (spec.positionals === 'some' && parsed.positionals.length === 0) {
    return usageError(spec.name, `give at least one ${spec.positionalName ?? 'argument'}`);
  }
  return parsed as unknown as Parsed<O>;
}

/** One line on stderr: what was wrong, and where the help is. */
export function usageError(command: string, message: string): number {
  process.stderr.write(`vigil ${command}: ${message} (see \`vigil ${command} --help\`)\n`);
  return USAGE_EXIT;
}

/** parseArgs explains at length how to pass a value starting with '-'; its first sentence says what was wrong. */
function firstSentence(message: string): string {
  const end = message.search(/\.\s/);
  return (end >= 0 ? message.slice(0, end) : message.replace(/\.$/, '')).trim();
}

/** `--port N`, `-h, --help`: how an option is written in the help. */
function optionLabel(name: string, option: Pick<OptionSpec, 'short' | 'value'>): string {
  const long = `--${name}${option.value ? ` ${option.value}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** The help of one command, made from its spec: every option it accepts, with what it does. */
export function commandHelp(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, option]) => [optionLabel(name, option), option.help]);
  rows.push([optionLabel('help', { short: 'h' }), 'Show this help']);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`Usage: vigil ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''} [options]`, '', spec.summary];
  if (spec.details) lines.push('', spec.details);
  lines.push('', 'Options:', ...rows.map(([label, help]) => `  ${label.padEnd(width)}${help}`));
  return `${lines.join('\n')}\n`;
}
