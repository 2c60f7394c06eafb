// Vigil's entries in a project's Claude Code settings (`.claude/settings.local.json`, the
// file Claude keeps out of git): one command hook per event, added beside the user's own
// hooks and removed without touching them. Pure: text in, text out.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { insertAt, removeAt, replaceAt } from './json-insert';
import { isVigilHookCommand } from './hook-command';

/** The events Vigil listens to; PostToolUse tells that the agent went back to work after a permission prompt. */
export const CLAUDE_HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Notification', 'PostToolUse', 'Stop', 'SubagentStop', 'SessionEnd'] as const;

/** Claude waits at most this long for the hook (it exits in well under a second). */
const HOOK_TIMEOUT_S = 5;

export class SettingsError extends Error {}

interface CommandHook {
  type?: unknown;
  command?: unknown;
}
interface MatcherGroup {
  matcher?: unknown;
  hooks?: unknown;
}

function parseSettings(text: string, file: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0] as ParseError;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new SettingsError(`${file} is not valid JSON (${printParseErrorCode(first.error)} on line ${line}); fix it and try again — nothing was changed.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SettingsError(`${file} does not hold a JSON object; nothing was changed.`);
  return value as Record<string, unknown>;
}

function eventGroups(settings: Record<string, unknown>, event: string, file: string): MatcherGroup[] | undefined {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new SettingsError(`"hooks" in ${file} is not an object; nothing was changed.`);
  const groups = (hooks as Record<string, unknown>)[event];
  if (groups === undefined) return undefined;
  if (!Array.isArray(groups)) throw new SettingsError(`"hooks.${event}" in ${file} is not a list; nothing was changed.`);
  return groups as MatcherGroup[];
}

/** Where Vigil's command hooks sit: [event, group index, hook index, command]. */
function vigilHooks(settings: Record<string, unknown>, file: string): [string, number, number, string][] {
  const found: [string, number, number, string][] = [];
  const hooks = settings.hooks;
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) return found;
  for (const event of Object.keys(hooks as object)) {
    const groups = eventGroups(settings, event, file) ?? [];
    groups.forEach((group, g) => {
      if (!Array.isArray(group?.hooks)) return;
      (group.hooks as CommandHook[]).forEach((hook, h) => {
        if (typeof hook?.command === 'string' && isVigilHookCommand(hook.command, 'claude')) found.push([event, g, h, hook.command]);
      });
    });
  }
  return found;
}

export interface ClaudeHooksState {
  /** Events that have Vigil's hook. */
  events: string[];
  /** The commands as written (one per event, normally all the same). */
  commands: string[];
}

export function claudeHooksIn(text: string, file: string): ClaudeHooksState {
  const found = vigilHooks(parseSettings(text, file), file);
  return { events: [...new Set(found.map(([event]) => event))], commands: [...new Set(found.map(([, , , command]) => command))] };
}

/** The settings with Vigil's hook on every event (an older Vigil command is replaced). */
export function addClaudeHooks(text: string | null, command: string, file: string): { text: string; changed: boolean } {
  let out = text !== null && text.trim() !== '' ? text : '{}\n';
  const original = out;
  let settings = parseSettings(out, file);
  for (const event of CLAUDE_HOOK_EVENTS) eventGroups(settings, event, file);
  // Commands from an earlier install (another path to Vigil) are brought up to date in place.
  for (const [event, g, h, existing] of vigilHooks(settings, file)) {
    if (existing !== command) out = replaceAt(out, ['hooks', event, g, 'hooks', h, 'command'], command);
  }
  settings = parseSettings(out, file);
  if (settings.hooks === undefined) out = insertAt(out, ['hooks'], {});
  settings = parseSettings(out, file);
  const have = new Set(vigilHooks(settings, file).map(([event]) => event));
  for (const event of CLAUDE_HOOK_EVENTS) {
    if (have.has(event)) continue;
    const group = {
      ...(event === 'PostToolUse' ? { matcher: '*' } : {}),
      hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S }],
    };
    const groups = eventGroups(parseSettings(out, file), event, file);
    out = groups === undefined ? insertAt(out, ['hooks', event], [group]) : insertAt(out, ['hooks', event, groups.length], group);
  }
  return { text: out, changed: out !== original };
}

/**
 * The settings without Vigil's hooks: a group that held only Vigil's hook goes, an event
 * left with no groups goes, and `hooks` left empty goes. Everything else stays as written.
 */
export function removeClaudeHooks(text: string, file: string): { text: string; removed: number } {
  let out = text;
  const found = vigilHooks(parseSettings(out, file), file);
  // From the back, so earlier indexes stay valid.
  for (const [event, g, h] of [...found].reverse()) {
    const groups = eventGroups(parseSettings(out, file), event, file) ?? [];
    const group = groups[g] as MatcherGroup;
    const only = Array.isArray(group.hooks) && group.hooks.length === 1;
    out = only ? removeAt(out, ['hooks', event, g]) : removeAt(out, ['hooks', event, g, 'hooks', h]);
  }
  for (const event of new Set(found.map(([event]) => event))) {
    if ((eventGroups(parseSettings(out, file), event, file) ?? []).length === 0) out = removeAt(out, ['hooks', event]);
  }
  const hooks = parseSettings(out, file).hooks;
  if (found.length > 0 && hooks && typeof hooks === 'object' && Object.keys(hooks).length === 0) out = removeAt(out, ['hooks']);
  return { text: out, removed: found.length };
}
