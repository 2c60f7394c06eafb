// The projects a person registered and the settings they chose, kept as two JSON files in
// the user config folder (~/.config/vigil on Linux; Electron passes its userData). Every
// change is a read-modify-write of the file under a cross-process lock (the CLI, a server and
// the desktop app share it); writes are atomic; a file that cannot be read is moved aside with
// a warning, never silently reset; with `watch`, changes other processes make are followed.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ActionsConfigSchema, type ActionsConfig } from '../../shared/runs';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';
import { ChannelsFileSchema, type Channel } from '../notify/channel-config';
import type { Closable } from './api';
import { defaultConfigDir } from './config-dir';
import { JsonFile } from './json-file';
import { realProjectFolder } from './project-folder';
import { projectIdFor } from './project-id';
import { EngineError } from './errors';

export const ProjectEntrySchema = z.object({
  id: z.string().min(1),
  /** Absolute real path of the project folder. */
  root: z.string().min(1),
  name: z.string(),
  paused: z.boolean(),
  /** ms since epoch. */
  addedAt: z.number(),
});
export type ProjectEntry = z.infer<typeof ProjectEntrySchema>;

const ProjectsFileSchema = z.object({ projects: z.array(ProjectEntrySchema) });
type ProjectsFile = z.infer<typeof ProjectsFileSchema>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Defaults under what the file says, one level deep, so a settings file from an older version gains new keys. */
function withDefaults(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...value };
  for (const [key, def] of Object.entries(DEFAULT_SETTINGS)) {
    const given = value[key];
    if (isPlainObject(def) && isPlainObject(given)) merged[key] = { ...def, ...given };
  }
  return merged;
}

const SettingsFileSchema = z.preprocess(withDefaults, SettingsSchema);

const cloneDefaults = (): Settings => structuredClone(DEFAULT_SETTINGS);
const noActions = (): ActionsConfig => ({ actions: [], presets: [], trusted: [] });

/**
 * A change to the config. `external`: another process (the CLI, another server, the desktop
 * app) changed the file and this store picked it up; the engine follows those.
 */
export type ConfigChange =
  | { what: 'projects'; projects: ProjectEntry[]; external?: boolean }
  | { what: 'settings'; settings: Settings; external?: boolean }
  | { what: 'actions'; actions: ActionsConfig };

export interface ConfigStoreOptions {
  /** Follow the files, so changes other processes make reach this one (serve, the desktop app). */
  watch?: boolean;
  /** Told about a damaged file repaired while following (the CLI prints it). */
  onWarning?: (message: string) => void;
}

/** Changes from other processes are read this long after the last event (atomic saves come in bursts). */
const FOLLOW_SETTLE_MS = 30;

export class ConfigStore {
  readonly dir: string;
  private readonly projectsFile: JsonFile<typeof ProjectsFileSchema>;
  private readonly settingsFile: JsonFile<typeof SettingsFileSchema>;
  private readonly actionsFile: JsonFile<typeof ActionsConfigSchema>;
  /** Outbound alert channels: their secrets keep the file at mode 0600, like the tokens. */
  private readonly channelsFile: JsonFile<typeof ChannelsFileSchema>;
  private entries: ProjectEntry[] = [];
  private current: Settings = cloneDefaults();
  private actionsValue: ActionsConfig = noActions();
  private loading: Promise<string[]> | null = null;
  // Mutations in this process run one after another; the file lock orders them with other processes.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(change: ConfigChange) => void>();
  private watcher: FSWatcher | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    dir: string = defaultConfigDir(),
    private readonly options: ConfigStoreOptions = {},
  ) {
    this.dir = dir;
    this.projectsFile = new JsonFile(join(dir, 'projects.json'), ProjectsFileSchema, () => ({ projects: [] }));
    this.settingsFile = new JsonFile(join(dir, 'settings.json'), SettingsFileSchema, cloneDefaults);
    this.actionsFile = new JsonFile(join(dir, 'actions.json'), ActionsConfigSchema, noActions);
    this.channelsFile = new JsonFile(join(dir, 'channels.json'), ChannelsFileSchema, () => ({ version: 1 as const, channels: [] }));
  }

  /** Read the files. Returns warnings to show (a corrupt file moved aside); call once, later calls share the result. */
  load(): Promise<string[]> {
    this.loading ??= (async () => {
      const warnings: string[] = [];
      const projects = await this.projectsFile.load();
      const settings = await this.settingsFile.load();
      const actions = await this.actionsFile.load();
      if (projects.warning) warnings.push(projects.warning);
      if (settings.warning) warnings.push(settings.warning);
      if (actions.warning) warnings.push(actions.warning);
      this.entries = dedupe(projects.value.projects);
      this.current = settings.value;
      this.actionsValue = actions.value;
      if (this.options.watch) await this.startFollowing();
      return warnings;
    })();
    // A failed read (permissions, a disk error) may be retried; a successful one is kept.
    this.loading.catch(() => {
      this.loading = null;
    });
    return this.loading;
  }

  projects(): ProjectEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  project(id: string): ProjectEntry | undefined {
    const entry = this.entries.find((e) => e.id === id);
    return entry ? { ...entry } : undefined;
  }

  /** Register a folder. Resolves it to its real absolute path; a folder already registered is returned as it is. */
  addProject(root: string, now: number = Date.now()): Promise<ProjectEntry> {
    return this.mutate(async () => {
      const real = await realProjectFolder(root);
      const id = projectIdFor(real);
      return this.updateProjects((entries) => {
        const existing = entries.find((e) => e.id === id);
        if (existing) return { ...existing };
        const entry: ProjectEntry = { id, root: real, name: basename(real) || real, paused: false, addedAt: now };
        entries.push(entry);
        return { ...entry };
      });
    });
  }

  /** Forget a project; false when it was not registered. */
  removeProject(id: string): Promise<boolean> {
    return this.mutate(() =>
      this.updateProjects((entries) => {
        const index = entries.findIndex((e) => e.id === id);
        if (index < 0) return false;
        entries.splice(index, 1);
        return true;
      }),
    );
  }

  setPaused(id: string, paused: boolean): Promise<ProjectEntry> {
    return this.mutate(() =>
      this.updateProjects((entries) => {
        const entry = entries.find((e) => e.id === id);
        if (!entry) throw new EngineError('not_found', `No project with id ${id} is registered`);
        entry.paused = paused;
        return { ...entry };
      }),
    );
  }

  settings(): Settings {
    return structuredClone(this.current);
  }

  /**
   * One setting's value without the copy `settings()` makes, for what is read on every
   * heartbeat. Only plain values come out, so nothing outside can change the settings held here.
   */
  setting<T extends string | number | boolean | null>(pick: (settings: Readonly<Settings>) => T): T {
    return pick(this.current);
  }

  /** Change some settings (top-level keys replace whole values). Rejects invalid values with what is wrong. */
  updateSettings(partial: Partial<Settings>): Promise<Settings> {
    return this.mutate(async () => {
      const { value } = await this.settingsFile.update((onDisk) => {
        const parsed = SettingsSchema.safeParse({ ...onDisk, ...partial });
        if (!parsed.success) {
          const first = parsed.error.issues[0];
          const where = first && first.path.length > 0 ? ` ${first.path.join('.')}` : '';
          throw new EngineError('invalid', `Invalid setting${where}: ${first?.message ?? 'invalid value'}`);
        }
        Object.assign(onDisk, parsed.data);
      });
      this.current = value;
      this.emit({ what: 'settings', settings: this.settings() });
      return this.settings();
    });
  }

  /** The user's actions, the presets they turned on, and the project action files they trusted. */
  actions(): ActionsConfig {
    return structuredClone(this.actionsValue);
  }

  /**
   * Read actions.json again and return it: another process (`vigil action trust`, the desktop
   * app) may have changed it, and a trust or an action must count from the moment it is saved.
   */
  reloadActions(): Promise<ActionsConfig> {
    return this.mutate(async () => {
      const loaded = await this.actionsFile.load();
      if (loaded.warning) this.options.onWarning?.(loaded.warning);
      this.actionsValue = loaded.value;
      return this.actions();
    });
  }

  /**
   * Change the action config under the cross-process lock: `change` gets what is on disk now
   * and returns the new config, which is validated and saved. Throws with what is wrong; nothing
   * is saved then.
   */
  updateActions(change: (current: ActionsConfig) => ActionsConfig): Promise<ActionsConfig> {
    return this.mutate(async () => {
      const { value, warning } = await this.actionsFile.update((onDisk) => {
        const parsed = ActionsConfigSchema.safeParse(change(structuredClone(onDisk)));
        if (!parsed.success) {
          const first = parsed.error.issues[0];
          const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
          throw new EngineError('invalid', `Invalid action config${where}: ${first?.message ?? 'invalid value'}`);
        }
        onDisk.actions = parsed.data.actions;
        onDisk.presets = parsed.data.presets;
        onDisk.trusted = parsed.data.trusted;
      });
      if (warning) this.options.onWarning?.(warning);
      this.actionsValue = value;
      this.emit({ what: 'actions', actions: this.actions() });
      return this.actions();
    });
  }

  /**
   * The alert channels as the file says now: read on every call, since `vigil notify` in
   * another process may have changed them. A damaged file is moved aside (see JsonFile).
   */
  async channels(): Promise<{ channels: Channel[]; warning: string | null }> {
    const { value, warning } = await this.channelsFile.load();
    return { channels: value.channels, warning };
  }

  addChannel(channel: Channel): Promise<Channel> {
    return this.mutateChannels((channels) => {
      channels.push(channel);
      return channel;
    });
  }

  /** Change a channel's switches; rejects for an unknown id. */
  updateChannel(id: string, patch: Partial<Pick<Channel, 'enabled' | 'kinds' | 'projects'>>): Promise<Channel> {
    return this.mutateChannels((channels) => {
      const index = channels.findIndex((c) => c.id === id);
      if (index < 0) throw new EngineError('not_found', `No alert channel with id ${id}; \`vigil notify list\` shows them`);
      const updated = { ...(channels[index] as Channel), ...patch } as Channel;
      channels[index] = updated;
      return updated;
    });
  }

  /** Forget a channel; false when there was none with that id. */
  removeChannel(id: string): Promise<boolean> {
    return this.mutateChannels((channels) => {
      const index = channels.findIndex((c) => c.id === id);
      if (index >= 0) channels.splice(index, 1);
      return index >= 0;
    });
  }

  onChange(listener: (change: ConfigChange) => void): Closable {
    this.listeners.add(listener);
    return { close: () => this.listeners.delete(listener) };
  }

  /** Stop following the files. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = null;
  }

  private mutate<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.load();
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Read-modify-write channels.json under the lock, from what is on disk now: another process may have changed it. */
  private mutateChannels<T>(change: (channels: Channel[]) => T): Promise<T> {
    return this.mutate(async () => {
      const { result, warning } = await this.channelsFile.update((file) => change(file.channels));
      if (warning) this.options.onWarning?.(warning);
      return result;
    });
  }

  /** Read-modify-write projects.json under the lock, from what is on disk now; adopts and announces the result. */
  private async updateProjects<T>(change: (entries: ProjectEntry[]) => T): Promise<T> {
    let othersChanged = false;
    const { result, value, warning } = await this.projectsFile.update((file: ProjectsFile) => {
      file.projects = dedupe(file.projects);
      // What is on disk is not what we last saw: another process changed the list meanwhile.
      othersChanged = JSON.stringify(file.projects) !== JSON.stringify(this.entries);
      return change(file.projects);
    });
    if (warning) this.options.onWarning?.(warning);
    this.entries = value.projects;
    this.emit({ what: 'projects', projects: this.projects() });
    if (othersChanged) this.emit({ what: 'projects', projects: this.projects(), external: true });
    return result;
  }

  private async startFollowing(): Promise<void> {
    if (this.watcher || this.closed) return;
    await mkdir(this.dir, { recursive: true });
    // The folder, not the files: atomic saves replace a file, which a file watch would lose.
    this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
      if (name !== null && name !== 'projects.json' && name !== 'settings.json') return;
      if (this.followTimer) clearTimeout(this.followTimer);
      this.followTimer = setTimeout(() => {
        this.followTimer = null;
        void this.mutate(() => this.followDisk());
      }, FOLLOW_SETTLE_MS);
      this.followTimer.unref();
    });
    this.watcher.on('error', () => {
      // The folder went away: what is loaded stays in use.
      this.watcher?.close();
      this.watcher = null;
    });
  }

  /** Another process changed a file: adopt what it wrote and say so, when it differs. */
  private async followDisk(): Promise<void> {
    if (this.closed) return;
    try {
      const projects = await this.projectsFile.load();
      if (projects.warning) this.options.onWarning?.(projects.warning);
      const entries = dedupe(projects.value.projects);
      if (JSON.stringify(entries) !== JSON.stringify(this.entries)) {
        this.entries = entries;
        this.emit({ what: 'projects', projects: this.projects(), external: true });
      }
      const settings = await this.settingsFile.load();
      if (settings.warning) this.options.onWarning?.(settings.warning);
      if (JSON.stringify(settings.value) !== JSON.stringify(this.current)) {
        this.current = settings.value;
        this.emit({ what: 'settings', settings: this.settings(), external: true });
      }
    } catch (err) {
      this.options.onWarning?.(`Cannot re-read the config in ${this.dir}: ${(err as Error).message}; what was loaded stays in use.`);
    }
  }

  private emit(change: ConfigChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the change is saved either way.
      }
    }
  }
}

function dedupe(entries: ProjectEntry[]): ProjectEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
}

/**
 * The registered roots, read without side effects (no corrupt file is moved aside): for
 * read-only tools such as `vigil discover` that only want to mark what is registered.
 */
export async function readRegisteredRoots(dir: string = defaultConfigDir()): Promise<string[]> {
  try {
    const parsed = ProjectsFileSchema.safeParse(JSON.parse(await readFile(join(dir, 'projects.json'), 'utf8')));
    return parsed.success ? parsed.data.projects.map((p) => p.root) : [];
  } catch {
    return [];
  }
}
