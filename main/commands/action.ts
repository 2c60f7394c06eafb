// `vigil action list [folder] | add | remove <id> | trust <folder>`: the commands Vigil may run.
// Actions live in the user's config (actions.json beside projects.json); presets are turned
// on by id; a project's own `.vigil/actions.json` runs only after `trust`, which shows what it
// trusts and ties the trust to the file's exact content.
import { realpath } from 'node:fs/promises';
import { ACTION_ID_PATTERN, ActionSpecSchema, type ActionSpec, type AppliesTo } from '../../shared/runs';
import { ConfigStore } from '../engine/config';
import { defaultConfigDir } from '../engine/config-dir';
import { displayCommand } from '../runs/argv';
import { actionInfo, actionProblem, configuredActions } from '../runs/catalog';
import { PRESETS, presetById } from '../runs/presets';
import { PROJECT_ACTIONS_PATH, readProjectActions } from '../runs/project-actions';
import { trustProjectActions } from '../runs/runs';
import { parseCommandArgs, usageError } from './args';
import { ACTION } from './specs';

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const fail = (line: string, code = 2): number => {
  process.stderr.write(`vigil action: ${line}\n`);
  return code;
};

function parseAppliesTo(text: string): AppliesTo | string {
  const [source, kind] = text.split(':');
  const parsed = ActionSpecSchema.shape.appliesTo.safeParse([{ ...(source ? { source } : {}), ...(kind ? { kind } : {}) }]);
  if (!parsed.success) return `--applies-to ${JSON.stringify(text)} is not SOURCE[:KIND] (e.g. gsd:plan, speckit:feature, bmad:story, taskmaster)`;
  return parsed.data?.[0] ?? {};
}

function parseEnv(entries: string[]): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) return `--env ${JSON.stringify(entry)} is not NAME=VALUE`;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

async function list(config: ConfigStore, folder: string | undefined, json: boolean): Promise<number> {
  const actions = config.actions();
  let root: string | null = null;
  if (folder !== undefined) {
    try {
      root = await realpath(folder);
    } catch (err) {
      return fail(`cannot open the folder ${folder}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`);
    }
  }
  const file = root ? await readProjectActions(root, actions.trusted) : null;
  if (json) {
    say(
      JSON.stringify(
        {
          actions: configuredActions(actions).map(actionInfo),
          presets: PRESETS.map((p) => ({ ...actionInfo({ spec: p, origin: 'preset' }), enabled: actions.presets.includes(p.id) })),
          projectFile: file?.state ?? null,
          // What the file says, trusted or not: read it before you trust it.
          projectActions: file?.defined ?? [],
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const row = (spec: ActionSpec, note = ''): string => `  ${spec.id.padEnd(22)} ${displayCommand({ file: spec.argv[0] ?? '', args: spec.argv.slice(1) })}${note}`;
  say('Your actions:');
  if (actions.actions.length === 0) say('  none yet (vigil action add <id> -- <program> [arg…])');
  for (const spec of actions.actions) say(row(spec, spec.appliesTo?.length ? `   (on ${spec.appliesTo.map((a) => [a.source, a.kind].filter(Boolean).join(':') || 'any item').join(', ')})` : ''));
  say('Presets (vigil action add --preset <id> turns one on):');
  for (const preset of PRESETS) say(`  [${actions.presets.includes(preset.id) ? 'on ' : 'off'}] ${preset.id.padEnd(18)} ${preset.label ?? ''}`);
  if (file && root) {
    say(`${PROJECT_ACTIONS_PATH} in ${root}: ${file.state.state}${file.state.message ? ` — ${file.state.message}` : ''}`);
    for (const spec of file.defined) say(row(spec));
  }
  return 0;
}

/** The actions a project's file defines, as written, whether or not it is trusted. */
async function fileActions(folder: string): Promise<ActionSpec[]> {
  return (await readProjectActions(await realpath(folder), [])).defined;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(ACTION, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  const config = new ConfigStore(values['config-dir'] ?? defaultConfigDir());
  for (const warning of await config.load()) process.stderr.write(`vigil action: ${warning}\n`);

  switch (verb) {
    case 'list':
      return list(config, rest[0], values.json ?? false);

    case 'add': {
      if (values.preset !== undefined) {
        const preset = presetById(values.preset);
        if (!preset) return fail(`no preset "${values.preset}"; the presets are ${PRESETS.map((p) => p.id).join(', ')}`);
        await config.updateActions((c) => ({ ...c, presets: [...new Set([...c.presets, preset.id])] }));
        say(`Turned on the preset ${preset.id} (${preset.label}): ${displayCommand({ file: preset.argv[0] as string, args: preset.argv.slice(1) })}`);
        return 0;
      }
      const [id, ...argv] = rest;
      if (!id || !ACTION_ID_PATTERN.test(id)) return usageError('action', `add needs an id (letters, digits, ".", "_", "-"), not ${JSON.stringify(id ?? '')}`);
      if (argv.length === 0) return usageError('action', 'add needs the program to run after `--`, e.g. vigil action add test -- npm test');
      const appliesTo: AppliesTo[] = [];
      for (const text of values['applies-to'] ?? []) {
        const selector = parseAppliesTo(text);
        if (typeof selector === 'string') return fail(selector);
        appliesTo.push(selector);
      }
      const env = parseEnv(values.env ?? []);
      if (typeof env === 'string') return fail(env);
      const candidate = {
        id,
        argv,
        ...(values.label !== undefined ? { label: values.label } : {}),
        ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
        ...(appliesTo.length > 0 ? { appliesTo } : {}),
        ...(values['timeout-ms'] !== undefined ? { timeoutMs: Number(values['timeout-ms']) } : {}),
        ...(Object.keys(env).length > 0 ? { env } : {}),
        ...(values.retries !== undefined ? { retries: Number(values.retries) } : {}),
        ...(values.shell ? { shell: true } : {}),
      };
      const spec = ActionSpecSchema.safeParse(candidate);
      if (!spec.success) {
        const first = spec.error.issues[0];
        return fail(`the action is not valid: ${first?.path.join('.') || 'it'}: ${first?.message ?? 'invalid'}`);
      }
      const problem = actionProblem(spec.data);
      if (problem) return fail(problem);
      let replaced = false;
      await config.updateActions((c) => {
        replaced = c.actions.some((a) => a.id === id);
        return { ...c, actions: [...c.actions.filter((a) => a.id !== id), spec.data] };
      });
      say(`${replaced ? 'Replaced' : 'Added'} the action ${id}: ${displayCommand({ file: argv[0] as string, args: argv.slice(1) })}`);
      return 0;
    }

    case 'remove': {
      const [id] = rest;
      if (!id) return usageError('action', 'remove needs the id of an action or preset');
      let what: 'action' | 'preset' | null = null;
      await config.updateActions((c) => {
        if (c.actions.some((a) => a.id === id)) what = 'action';
        else if (c.presets.includes(id)) what = 'preset';
        return { ...c, actions: c.actions.filter((a) => a.id !== id), presets: c.presets.filter((p) => p !== id) };
      });
      if (what === null) return fail(`no action or preset "${id}" is set up; \`vigil action list\` shows them`, 1);
      say(what === 'preset' ? `Turned off the preset ${id}.` : `Removed the action ${id}.`);
      return 0;
    }

    case 'trust': {
      const [folder] = rest;
      if (!folder) return usageError('action', 'trust needs the project folder whose .vigil/actions.json you trust');
      let record;
      try {
        record = await trustProjectActions(config, folder, Date.now());
      } catch (err) {
        return fail((err as Error).message);
      }
      // Say exactly what was trusted: these are the commands that may now run.
      say(`Trusted ${record.count} action(s) of ${record.root}/${PROJECT_ACTIONS_PATH} (sha256 ${record.sha256.slice(0, 12)}…):`);
      for (const spec of await fileActions(record.root)) say(`  ${spec.id.padEnd(22)} ${displayCommand({ file: spec.argv[0] ?? '', args: spec.argv.slice(1) })}`);
      say('A change to the file needs a new trust.');
      return 0;
    }

    default:
      return usageError('action', verb ? `unknown action command '${verb}'` : 'say list, add, remove or trust');
  }
}
