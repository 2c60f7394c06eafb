// A hook that stopped firing must not look like an agent at rest. For each project whose
// Claude Code settings hold Vigil's hooks (read again every minute), health warns when the
// hook cannot run (Vigil or Node moved), or when the project's planning files keep changing
// while no hook event has come for longer than the stall time.
import { join } from 'node:path';
import type { HealthConditionDraft } from '../engine/health';
import { readRegularFile } from '../engine/safe-open';
import type { HookActivity } from './agent-state-file';
import { claudeHooksIn } from './install/claude-settings';
import { brokenReason, configDirOf } from './install/hook-command';

export interface HookHealthProject {
  id: string;
  name: string;
  root: string;
  /** ms since epoch of the newest file activity in the project. */
  lastActivityAt: number | null;
}

interface Installed {
  /** Why the installed hook cannot run, or null. */
  broken: string | null;
}

export const HOOK_CHECK_INTERVAL_MS = 60_000;
/** A settings file larger than this is not one a person keeps. */
export const SETTINGS_MAX_BYTES = 1024 * 1024;

export class HookHealth {
  /** Per project id: Vigil's hooks as last read, or null when none are installed (for this Vigil). */
  private installed = new Map<string, Installed | null>();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking = false;
  private key = '';
  private value: readonly HealthConditionDraft[] = [];

  constructor(private readonly configDir: string | undefined) {}

  /** Re-read the projects' settings when a minute has passed; never awaited by the heartbeat. */
  refreshIfDue(projects: readonly HookHealthProject[], now: number, onError: (err: unknown) => void): void {
    if (this.checking || now - this.checkedAt < HOOK_CHECK_INTERVAL_MS || !this.configDir) return;
    this.checking = true;
    this.checkedAt = now;
    void this.read(projects)
      .then((installed) => (this.installed = installed), onError)
      .finally(() => (this.checking = false));
  }

  /** The conditions now (the same array while nothing changed). */
  conditions(projects: readonly HookHealthProject[], hooks: Readonly<Record<string, HookActivity>>, now: number, stallMinutes: number): readonly HealthConditionDraft[] {
    const stallMs = stallMinutes * 60_000;
    const out: HealthConditionDraft[] = [];
    // Indexed: called every heartbeat for every project, and a for-of makes a result object per
    // project until V8 optimizes this (an idle process should allocate next to nothing).
    for (let i = 0; i < projects.length; i++) {
      const p = projects[i] as HookHealthProject;
      const installed = this.installed.get(p.id);
      if (!installed) continue;
      if (installed.broken) {
        out.push({
          key: `hooks-broken:${p.id}`,
          level: 'warning',
          projectId: p.id,
          message: `Vigil's Claude Code hooks in "${p.name}" cannot run: ${installed.broken}.`,
          hint: `Install them again: \`vigil hooks install ${p.root}\`, or Install on the project's card.`,
        });
        continue;
      }
      const last = hooks[p.id];
      if (!last || p.lastActivityAt === null) continue;
      if (p.lastActivityAt - last.at > stallMs && now - p.lastActivityAt < stallMs) {
        out.push({
          key: `hooks-silent:${p.id}`,
          level: 'warning',
          projectId: p.id,
          message: `The agent hooks in "${p.name}" have not fired for over ${stallMinutes} minutes while its planning files keep changing.`,
          hint: `See \`vigil hooks status ${p.root}\`: a hook that cannot reach Vigil (a revoked hook token, another config folder) fails silently inside the agent.`,
        });
      }
    }
    // Most ticks find no condition: then no mapped and joined array, which cost an allocation a
    // tick and threw V8's optimized heartbeat away at the map ("wrong map") while idle.
    const key = out.length === 0 ? '' : out.map((c) => `${c.key}\n${c.message}`).join('\n');
    if (key !== this.key) {
      this.key = key;
      this.value = out;
    }
    return this.value;
  }

  private async read(projects: readonly HookHealthProject[]): Promise<Map<string, Installed | null>> {
    const out = new Map<string, Installed | null>();
    await Promise.all(
      projects.map(async (p) => {
        const file = join(p.root, '.claude', 'settings.local.json');
        try {
          // Only a regular file, opened without following a symlink (a project could point one
          // anywhere) and without blocking (a named pipe swapped in must not hold a thread).
          const { text } = await readRegularFile(file, { maxBytes: SETTINGS_MAX_BYTES, followSymlink: false });
          const { commands } = claudeHooksIn(text, file);
          const ours = commands.find((c) => configDirOf(c) === this.configDir);
          out.set(p.id, ours ? { broken: brokenReason(ours) } : null);
        } catch {
          out.set(p.id, null);
        }
      }),
    );
    return out;
  }
}
