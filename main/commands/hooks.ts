// `vigil hooks install | uninstall | status <folder…> [--agent claude|codex]`: connect an
// agent's hooks in a project to Vigil. Claude Code's go into the project's
// .claude/settings.local.json; Codex's notify program into its user config (Codex reads it
// from nowhere else). Status says, per project, whether hooks are in place, whether they can
// run, and when the last event arrived.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HookActivity } from '../agents/agent-state-file';
import {
  defaultCodexHome,
  hooksStatus,
  installHooks,
  uninstallHooks,
  type AgentHookStatus,
  type HookAgent,
  type InstallContext,
} from '../agents/install/installer';
import { defaultConfigDir } from '../engine/config-dir';
import { parseCommandArgs, usageError } from './args';
import { HOOKS } from './specs';


/** dist/hook.cjs: beside dist/cli.js, one folder up from the CLI's chunks (dist/cli-chunks/). */
function hookScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(basename(here) === 'cli-chunks' ? dirname(here) : here, 'hook.cjs');
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}

function describeAgent(name: string, s: AgentHookStatus): string[] {
  if (s.error) return [`  ${name}: cannot tell — ${s.error}`];
  if (!s.installed) return [`  ${name}: not installed${s.chained ? ` (notify runs ${s.chained.join(' ')})` : ''}`];
  const lines = [`  ${name}: installed in ${s.file}${s.events ? ` (${s.events.join(', ')})` : ''}`];
  if (s.missingEvents && s.missingEvents.length > 0) lines.push(`    warning: no hook for ${s.missingEvents.join(', ')}; run \`vigil hooks install\` again`);
  if (s.broken) lines.push(`    warning: the hook cannot run: ${s.broken}; run \`vigil hooks install\` again`);
  if (s.otherConfigDir) lines.push(`    note: it posts to the Vigil of ${s.otherConfigDir}, not this one`);
  if (s.chained) lines.push(`    then runs your notify program: ${s.chained.join(' ')}`);
  return lines;
}

function describeLast(last: HookActivity | null, installed: boolean, running: boolean, now: number): string {
  const vigil = running ? 'Vigil is receiving hooks' : 'no Vigil is running for this config folder (hooks are ignored until one is)';
  if (!last) return `  last hook event: none yet${installed ? ' — start a session to check the hooks fire' : ''}; ${vigil}`;
  return `  last hook event: ${last.event} from ${last.agent}, ${ago(now - last.at)}; ${vigil}`;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(HOOKS, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...folders] = positionals;
  if (!action || !['install', 'uninstall', 'status'].includes(action)) return usageError('hooks', `unknown action '${action ?? ''}'; use install, uninstall or status`);
  if (folders.length === 0) return usageError('hooks', `${action} needs a project folder`);
  const agent = (values.agent ?? 'claude') as HookAgent;
  if (agent !== 'claude' && agent !== 'codex') return usageError('hooks', `--agent must be claude or codex, not ${JSON.stringify(values.agent)}`);
  const ctx: InstallContext = {
    configDir: values['config-dir'] ?? defaultConfigDir(),
    program: { node: process.execPath, script: hookScript() },
    codexHome: values['codex-home'] ?? defaultCodexHome(),
  };

  let failed = false;
  const statuses = [];
  for (const folder of folders) {
    try {
      if (action === 'install') {
        const report = await installHooks(folder, agent, ctx);
        const what = agent === 'claude' ? 'Claude Code hooks' : "Codex's notify program";
        process.stdout.write(report.changed ? `Installed ${what} in ${report.file}\n` : `${what} already installed in ${report.file}\n`);
        if (report.chained) process.stdout.write(`  Your notify program keeps running after Vigil's: ${report.chained.join(' ')}\n`);
      } else if (action === 'uninstall') {
        const report = await uninstallHooks(folder, agent, ctx);
        const said = {
          restored: `Removed Vigil's hooks: ${report.file} is back as it was before`,
          'removed-file': `Removed ${report.file} (Vigil had created it)`,
          edited: `Removed Vigil's hooks from ${report.file}; your other changes since are kept`,
          'not-installed': `No Vigil hooks in ${report.file}`,
        }[report.outcome];
        process.stdout.write(`${said}\n`);
      } else {
        const status = await hooksStatus(folder, ctx);
        statuses.push(status);
        if (!values.json) {
          const lines = [`${status.folder}`, ...describeAgent('Claude Code', status.claude), ...describeAgent('Codex', status.codex)];
          lines.push(describeLast(status.lastEvent, status.claude.installed || status.codex.installed, status.vigilRunning, Date.now()));
          process.stdout.write(`${lines.join('\n')}\n`);
        }
      }
    } catch (err) {
      failed = true;
      process.stderr.write(`vigil hooks: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (action === 'status' && values.json) process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
  return failed ? 1 : 0;
}
