#!/usr/bin/env node
// The headless entry (`bin.vigil`): one module per command under main/commands/, each
// `run(args) → exit code`; what each accepts is in main/commands/specs.ts. Loaded lazily so
// `vigil scan` does not pay for the server.
import { USAGE_EXIT } from './commands/args';
import { COMMAND_SPECS, usageText } from './commands/specs';
import { descriptorStartupProblem } from './engine/descriptors';

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  start: () => import('./commands/start'),
  scan: () => import('./commands/scan'),
  watch: () => import('./commands/watch'),
  serve: () => import('./commands/serve'),
  token: () => import('./commands/token'),
  discover: () => import('./commands/discover'),
  demo: () => import('./commands/demo'),
  add: () => import('./commands/projects').then((m) => ({ run: m.add })),
  remove: () => import('./commands/projects').then((m) => ({ run: m.remove })),
  list: () => import('./commands/projects').then((m) => ({ run: m.list })),
  pause: () => import('./commands/projects').then((m) => ({ run: m.pause })),
  run: () => import('./commands/run'),
  runs: () => import('./commands/runs'),
  action: () => import('./commands/action'),
  history: () => import('./commands/history'),
  hook: () => import('./commands/hook'),
  hooks: () => import('./commands/hooks'),
  notify: () => import('./commands/notify'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usageText());
    return 0;
  }
  if (!name) {
    process.stderr.write(usageText());
    return USAGE_EXIT;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.npm_package_version ?? (await import('./commands/version')).VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const known = COMMAND_SPECS.map((s) => s.name).join(', ');
    process.stderr.write(`vigil: unknown command '${name}' (commands: ${known}; see \`vigil --help\`)\n`);
    return USAGE_EXIT;
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
const LONG_RUNNING = new Set(['serve', 'watch', 'demo', 'start']);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
