// `vigil hooks install | uninstall | status` for one project folder: what to write where, a
// backup of the file before the first change (kept in Vigil's config folder, not the
// project), and an uninstall that gives back the very bytes that were there. Files that are
// symlinks are refused: a project could point its settings file anywhere.
import { createHash } from 'node:crypto';
import { lstat, mkdir, rmdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { JsonFile, writeFileAtomic } from '../../engine/json-file';
import { PathGuardError } from '../../engine/path-guard';
import { readRegularFile } from '../../engine/safe-open';
import { projectIdFor } from '../../engine/project-id';
import { realProjectFolder } from '../../engine/project-folder';
import { readHookActivity, type HookActivity } from '../agent-state-file';
import { readHookEndpoint } from '../hook-endpoint-file';
import { addClaudeHooks, CLAUDE_HOOK_EVENTS, claudeHooksIn, removeClaudeHooks } from './claude-settings';
import { addCodexNotify, chainedNotify, codexNotifyIn, isVigilNotify, removeCodexNotify } from './codex-config';
import { brokenReason, claudeHookCommand, configDirOf, hookArgv, type HookProgram } from './hook-command';

export type HookAgent = 'claude' | 'codex';

export interface InstallContext {
  /** The Vigil config folder the hooks post for (and where backups are kept). */
  configDir: string;
  program: HookProgram;
  /** Codex's home (CODEX_HOME, else ~/.codex). */
  codexHome: string;
}

export function defaultCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || join(homedir(), '.codex');
}

export class InstallError extends Error {}

const BackupSchema = z.object({
  version: z.literal(1),
  path: z.string(),
  /** The file existed before the first install. */
  existed: z.boolean(),
  /** Its text then ('' when it did not exist). */
  original: z.string(),
  mode: z.number().nullable(),
  /** Vigil created the folder holding it (`.claude/`). */
  createdDir: z.boolean(),
  /** The text Vigil last wrote: if the file still reads so, uninstall puts `original` back. */
  installed: z.string(),
});
type Backup = z.infer<typeof BackupSchema>;

function backupFile(configDir: string, path: string): JsonFile<typeof BackupSchema> {
  const name = createHash('sha256').update(path).digest('hex').slice(0, 24);
  return new JsonFile(join(configDir, 'hook-backups', `${name}.json`), BackupSchema, () => ({
    version: 1 as const,
    path,
    existed: false,
    original: '',
    mode: null,
    createdDir: false,
    installed: '',
  }));
}

function claudeSettingsPath(folder: string): string {
  return join(folder, '.claude', 'settings.local.json');
}

function codexConfigPath(ctx: InstallContext): string {
  return join(ctx.codexHome, 'config.toml');
}

/** A settings file larger than this is not one a person keeps. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

/**
 * A regular file's text, or null when it does not exist. Symlinks, folders and named pipes are
 * refused on the opened file itself (a project could point its settings file anywhere, or swap
 * in a pipe that would block the read).
 */
async function readRegular(path: string): Promise<{ text: string; mode: number } | null> {
  try {
    const { text, stats } = await readRegularFile(path, { maxBytes: SETTINGS_MAX_BYTES, followSymlink: false });
    return { text, mode: stats.mode & 0o777 };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new InstallError(`${path} is a symbolic link; Vigil edits only regular files. Replace the link with the file itself, or add the hooks by hand.`);
    if (err instanceof PathGuardError) throw new InstallError(`${path} is not a regular file of at most ${SETTINGS_MAX_BYTES} bytes; nothing was changed.`);
    throw new InstallError(`Cannot read ${path}: ${(err as Error).message}`);
  }
}

async function ensureRealFolder(dir: string): Promise<boolean> {
  const info = await lstat(dir).catch(() => null);
  if (info?.isSymbolicLink()) throw new InstallError(`${dir} is a symbolic link; Vigil edits only files inside the project. Nothing was changed.`);
  if (info && !info.isDirectory()) throw new InstallError(`${dir} is not a folder; nothing was changed.`);
  if (info) return false;
  await mkdir(dir, { recursive: true });
  return true;
}

export interface InstallReport {
  agent: HookAgent;
  file: string;
  /** False when Vigil's hooks were already there, as they are now. */
  changed: boolean;
  /** Codex: the notify program that was there before and still runs after Vigil's. */
  chained?: string[] | null;
}

async function writeInstalled(ctx: InstallContext, file: string, before: { text: string; mode: number } | null, text: string, createdDir: boolean): Promise<void> {
  const backups = backupFile(ctx.configDir, file);
  const kept = await backups.load();
  // The first install's original is the one to give back; later installs only update `installed`.
  const isFirst = kept.value.installed === '';
  const backup: Backup = isFirst
    ? { version: 1, path: file, existed: before !== null, original: before?.text ?? '', mode: before?.mode ?? null, createdDir, installed: text }
    : { ...kept.value, installed: text };
  await mkdir(join(ctx.configDir, 'hook-backups'), { recursive: true });
  await backups.save(backup);
  await writeFileAtomic(file, text, before?.mode ?? 0o644);
}

export async function installHooks(folder: string, agent: HookAgent, ctx: InstallContext): Promise<InstallReport> {
  const root = await realProjectFolder(folder);
  if (agent === 'claude') {
    const file = claudeSettingsPath(root);
    const createdDir = await ensureRealFolder(dirname(file));
    const before = await readRegular(file);
    const { text, changed } = addClaudeHooks(before?.text ?? null, claudeHookCommand(ctx.program, ctx.configDir), file);
    if (changed) await writeInstalled(ctx, file, before, text, createdDir);
    return { agent, file, changed };
  }
  const file = codexConfigPath(ctx);
  const createdDir = await ensureRealFolder(ctx.codexHome);
  const before = await readRegular(file);
  const { text, changed, chained } = addCodexNotify(before?.text ?? null, hookArgv(ctx.program, 'codex', ctx.configDir), file);
  if (changed) await writeInstalled(ctx, file, before, text, createdDir);
  return { agent, file, changed, chained };
}

export interface UninstallReport {
  agent: HookAgent;
  file: string;
  /** What was done: the original bytes put back, the file removed (Vigil created it), Vigil's entries taken out of a file edited since, or nothing. */
  outcome: 'restored' | 'removed-file' | 'edited' | 'not-installed';
}

export async function uninstallHooks(folder: string, agent: HookAgent, ctx: InstallContext): Promise<UninstallReport> {
  const root = await realProjectFolder(folder);
  const file = agent === 'claude' ? claudeSettingsPath(root) : codexConfigPath(ctx);
  const backups = backupFile(ctx.configDir, file);
  const current = await readRegular(file);
  const backup = (await backups.load()).value;
  const hasBackup = backup.installed !== '';
  const forget = async (): Promise<void> => {
    if (hasBackup) await unlink(backups.path).catch(() => undefined);
  };
  if (!current) {
    await forget();
    return { agent, file, outcome: 'not-installed' };
  }
  if (hasBackup && current.text === backup.installed) {
    // Untouched since Vigil wrote it: the exact bytes from before come back.
    if (backup.existed) await writeFileAtomic(file, backup.original, backup.mode ?? current.mode);
    else await removeCreated(file, backup.createdDir);
    await forget();
    return { agent, file, outcome: backup.existed ? 'restored' : 'removed-file' };
  }
  const result = agent === 'claude' ? removeClaudeHooks(current.text, file) : removeCodexNotify(current.text, file);
  const removed = 'removed' in result && typeof result.removed === 'number' ? result.removed > 0 : Boolean(result.removed);
  if (!removed) {
    await forget();
    return { agent, file, outcome: 'not-installed' };
  }
  if (hasBackup && !backup.existed && isEmptyDocument(result.text, agent)) {
    await removeCreated(file, backup.createdDir);
    await forget();
    return { agent, file, outcome: 'removed-file' };
  }
  await writeFileAtomic(file, result.text, current.mode);
  await forget();
  return { agent, file, outcome: 'edited' };
}

function isEmptyDocument(text: string, agent: HookAgent): boolean {
  if (agent === 'codex') return text.trim() === '';
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
  } catch {
    return false;
  }
}

async function removeCreated(file: string, createdDir: boolean): Promise<void> {
  await unlink(file).catch(() => undefined);
  // Only an empty folder Vigil made; rmdir refuses anything else.
  if (createdDir) await rmdir(dirname(file)).catch(() => undefined);
}

export interface AgentHookStatus {
  installed: boolean;
  file: string;
  /** Claude: the events that have Vigil's hook. */
  events?: string[];
  /** Events Vigil installs that are missing (someone removed some). */
  missingEvents?: string[];
  /** Why the installed hook cannot run (Vigil moved, Node removed), or null. */
  broken: string | null;
  /** The config folder the hook posts for, when it is not the one asked about. */
  otherConfigDir: string | null;
  /** Codex: the user's own notify program that runs after Vigil's. */
  chained?: string[] | null;
  /** The file could not be read as the agent's config. */
  error?: string;
}

export interface HookStatus {
  folder: string;
  projectId: string;
  claude: AgentHookStatus;
  codex: AgentHookStatus;
  /** The newest hook event from this project the Vigil of this config folder recorded. */
  lastEvent: HookActivity | null;
  /** A Vigil is receiving hooks for this config folder right now. */
  vigilRunning: boolean;
}

function claudeStatus(text: string | null, file: string, ctx: InstallContext): AgentHookStatus {
  if (text === null) return { installed: false, file, broken: null, otherConfigDir: null };
  try {
    const { events, commands } = claudeHooksIn(text, file);
    if (events.length === 0) return { installed: false, file, broken: null, otherConfigDir: null };
    const command = commands[0] as string;
    const dir = configDirOf(command);
    return {
      installed: true,
      file,
      events,
      missingEvents: CLAUDE_HOOK_EVENTS.filter((e) => !events.includes(e)),
      broken: brokenReason(command),
      otherConfigDir: dir !== null && dir !== ctx.configDir ? dir : null,
    };
  } catch (err) {
    return { installed: false, file, broken: null, otherConfigDir: null, error: (err as Error).message };
  }
}

function codexStatus(text: string | null, file: string, ctx: InstallContext): AgentHookStatus {
  if (text === null) return { installed: false, file, broken: null, otherConfigDir: null };
  try {
    const notify = codexNotifyIn(text, file);
    if (!notify || !isVigilNotify(notify)) return { installed: false, file, broken: null, otherConfigDir: null, chained: notify };
    const dir = configDirOf(notify);
    return { installed: true, file, broken: brokenReason(notify), otherConfigDir: dir !== null && dir !== ctx.configDir ? dir : null, chained: chainedNotify(notify) };
  } catch (err) {
    return { installed: false, file, broken: null, otherConfigDir: null, error: (err as Error).message };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function hooksStatus(folder: string, ctx: InstallContext): Promise<HookStatus> {
  const root = await realProjectFolder(folder);
  const projectId = projectIdFor(root);
  const readText = async (path: string): Promise<string | null> => (await readRegular(path).catch(() => null))?.text ?? null;
  const claudeFile = claudeSettingsPath(root);
  const codexFile = codexConfigPath(ctx);
  const [claudeText, codexText, activity, endpoint] = await Promise.all([
    readText(claudeFile),
    readText(codexFile),
    readHookActivity(ctx.configDir),
    readHookEndpoint(ctx.configDir),
  ]);
  return {
    folder: root,
    projectId,
    claude: claudeStatus(claudeText, claudeFile, ctx),
    codex: codexStatus(codexText, codexFile, ctx),
    lastEvent: activity[projectId] ?? null,
    vigilRunning: endpoint !== null && processAlive(endpoint.pid),
  };
}
