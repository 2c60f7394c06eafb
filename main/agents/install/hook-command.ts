// The command an agent's configuration runs to reach Vigil: Node and the hook bundle by
// absolute path (hooks run with the agent's environment, which may lack Vigil on PATH), the
// agent's form, and the config folder that names which Vigil to reach.
import { existsSync } from 'node:fs';

export interface HookProgram {
  /** The Node executable. */
  node: string;
  /** dist/hook.cjs of this Vigil. */
  script: string;
}

/** Quote for `sh -c`: a single-quoted word, with any single quote closed, escaped and reopened. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The argv of the hook for one agent. */
export function hookArgv(program: HookProgram, agent: 'claude' | 'codex', configDir: string): string[] {
  return [program.node, program.script, agent, '--config-dir', configDir];
}

/** The one-line shell command Claude Code runs (`sh -c`, in the project folder, JSON on stdin). */
export function claudeHookCommand(program: HookProgram, configDir: string): string {
  return hookArgv(program, 'claude', configDir).map(shellQuote).join(' ');
}

/** Whether a configured command is one Vigil wrote (whatever Vigil's path was then). */
export function isVigilHookCommand(command: string, agent: 'claude' | 'codex'): boolean {
  return new RegExp(`hook\\.c?js'? ${agent} --config-dir `).test(command);
}

/** The config folder a Vigil hook command posts for, read back from the command. */
export function configDirOf(argvOrCommand: string[] | string): string | null {
  if (Array.isArray(argvOrCommand)) {
    const i = argvOrCommand.indexOf('--config-dir');
    return i >= 0 ? (argvOrCommand[i + 1] ?? null) : null;
  }
  const match = /--config-dir ('(?:[^']|'\\'')*'|\S+)/.exec(argvOrCommand);
  if (!match?.[1]) return null;
  const word = match[1];
  return word.startsWith("'") ? word.slice(1, -1).replace(/'\\''/g, "'") : word;
}

/** The programs a Vigil hook command runs, to tell whether they still exist. */
export function programsOf(argvOrCommand: string[] | string): string[] {
  if (Array.isArray(argvOrCommand)) return argvOrCommand.slice(0, 2);
  const words = [...argvOrCommand.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].slice(0, 2);
  return words.map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string)));
}

/** A reason the hook cannot run as configured, or null. */
export function brokenReason(argvOrCommand: string[] | string): string | null {
  for (const program of programsOf(argvOrCommand)) {
    if (!existsSync(program)) return `${program} does not exist`;
  }
  return null;
}
