#!/usr/bin/env node
// The headless entry (`bin.vigil`): one module per command under main/commands/, each
// `run(args) → exit code`. Loaded lazily so `vigil scan` does not pay for the server.
import { usageText } from './commands/usage';
import { descriptorStartupProblem } from './engine/descriptors';

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  scan: () => import('./commands/scan'),
  watch: () => import('./commands/watch'),
  serve: () => import('./commands/serve'),
  token: () => import('./commands/token'),
  discover: () => import('./commands/discover'),
  demo: () => import('./commands/demo'),
  action: () => import('./commands/action'),
  run: () => import('./commands/run'),
  runs: () => import('./commands/runs'),

};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usageText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.npm_package_version ?? (await import('./commands/version')).VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`vigil: unknown command '${name}'\n\n${usageText()}`);
    return 2;
  }
  // Checked before the command's modules load: with too few descriptors even loading them fails.
  const problem = LONG_RUNNING.has(name) ? descriptorStartupProblem() : null;
  if (problem) {
    process.stderr.write(`vigil ${name}: ${problem}\n`);
    return 1;
  }
  return (await load()).run(rest);
}

/** Commands that watch and serve until stopped: they need descriptors for clients and watchers. */
const LONG_RUNNING = new Set(['serve', 'watch', 'demo']);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
