// `vigil add|remove|list|pause`: the registered projects, managed from a terminal. Every change
// goes through the config store (main/engine/config.ts), the same one the app and `vigil serve`
// use, so its locking covers these writes and a running Vigil picks them up.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigStore, type ProjectEntry } from '../engine/config';
import { defaultConfigDir } from '../engine/config-dir';
import { parseCommandArgs } from './args';
import { folderProblem } from './folder-check';
import { ADD, LIST, PAUSE, REMOVE } from './specs';

const say = (command: string, line: string): void => void process.stderr.write(`vigil ${command}: ${line}\n`);

async function openConfig(command: string, dir: string | undefined): Promise<ConfigStore> {
  const config = new ConfigStore(dir ?? defaultConfigDir());
  for (const warning of await config.load()) say(command, warning);
  return config;
}

/**
 * The registered project a person means by `given`: its folder (also one that no longer
 * exists, or reached through a symlink), its id, or its name when only one has it.
 */
export async function findProject(config: ConfigStore, given: string): Promise<ProjectEntry | string> {
  const projects = config.projects();
  const absolute = resolve(given);
  const byFolder = projects.find((p) => p.root === absolute);
  if (byFolder) return byFolder;
  const real = await realpath(absolute).catch(() => null);
  const byRealFolder = real ? projects.find((p) => p.root === real) : undefined;
  if (byRealFolder) return byRealFolder;
  const byId = projects.find((p) => p.id === given);
  if (byId) return byId;
  const byName = projects.filter((p) => p.name === given);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) return `${given}: ${byName.length} registered projects have that name; give the folder instead (\`vigil list\` shows them)`;
  return `${given}: not a registered project (\`vigil list\` shows them)`;
}

export async function add(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(ADD, args);
  if (typeof parsed === 'number') return parsed;
  const config = await openConfig('add', parsed.values['config-dir']);
  let failed = false;
  for (const folder of parsed.positionals) {
    const problem = await folderProblem(folder);
    if (problem) {
      say('add', problem);
      failed = true;
      continue;
    }
    const before = config.projects().length;
    const entry = await config.addProject(folder);
    const fresh = config.projects().length > before;
    process.stdout.write(`${fresh ? 'Added' : 'Already registered:'} ${entry.name}  ${entry.root}\n`);
  }
  return failed ? 1 : 0;
}

export async function remove(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(REMOVE, args);
  if (typeof parsed === 'number') return parsed;
  const config = await openConfig('remove', parsed.values['config-dir']);
  let failed = false;
  for (const given of parsed.positionals) {
    const found = await findProject(config, given);
    if (typeof found === 'string') {
      say('remove', found);
      failed = true;
      continue;
    }
    await config.removeProject(found.id);
    process.stdout.write(`Removed ${found.name}  ${found.root} (its files are not touched)\n`);
  }
  return failed ? 1 : 0;
}

export async function pause(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(PAUSE, args);
  if (typeof parsed === 'number') return parsed;
  const paused = parsed.values.resume !== true;
  const config = await openConfig('pause', parsed.values['config-dir']);
  let failed = false;
  for (const given of parsed.positionals) {
    const found = await findProject(config, given);
    if (typeof found === 'string') {
      say('pause', found);
      failed = true;
      continue;
    }
    await config.setPaused(found.id, paused);
    process.stdout.write(`${paused ? 'Paused' : 'Resumed'} ${found.name}  ${found.root}\n`);
  }
  return failed ? 1 : 0;
}

export async function list(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(LIST, args);
  if (typeof parsed === 'number') return parsed;
  const config = await openConfig('list', parsed.values['config-dir']);
  const projects = config.projects();
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ projects }, null, 2)}\n`);
    return 0;
  }
  if (projects.length === 0) {
    process.stdout.write('No projects registered yet. `vigil add <folder>` adds one.\n');
    return 0;
  }
  const rows = projects.map((p) => [p.name, p.paused ? 'paused' : 'watching', p.root]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [name, state, root] of rows) process.stdout.write(`${name!.padEnd(widths[0]!)}  ${state!.padEnd(widths[1]!)}  ${root}\n`);
  return 0;
}
