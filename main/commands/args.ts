// What every command does with its arguments: util.parseArgs with a `--help`, a usage
// error that says what was wrong and shows the help (exit 2), and the help itself (exit 0).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } };
type Parsed<O extends Options, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: P; options: WithHelp<O> }>
>;

/**
 * The parsed arguments, or the exit code when there is nothing more to do (help shown, or bad
 * usage). Positionals are allowed unless `allowPositionals: false`, which makes one a usage error.
 */
export function parseCommandArgs<const O extends Options, P extends boolean = true>(
  command: string,
  args: string[],
  options: O,
  usage: string,
  { allowPositionals = true as P }: { allowPositionals?: P } = {},
): Parsed<O, P> | number {
  try {
    const parsed = parseArgs({ args, allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<O> });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(usage);
      return 0;
    }
    return parsed;
  } catch (err) {
    return usageError(command, (err as Error).message, usage);
  }
}

/** Say what was wrong with the command line, show the usage, and give the usage exit code. */
export function usageError(command: string, message: string, usage: string): number {
  process.stderr.write(`vigil ${command}: ${message}\n\n${usage}`);
  return 2;
}
