// The projects a person registered and the settings they chose, kept as two JSON files in
// the user config folder (~/.config/vigil on Linux; Electron passes its userData). Writes
// are atomic; a file that cannot be read is moved aside with a warning, never silently reset.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ActionsConfigSchema, type ActionsConfig } from '../../shared/runs';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';
import type { Closable } from './api';
import { JsonFile, defaultConfigDir } from './json-file';
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

export type ConfigChange =
  | { what: 'projects'; projects: ProjectEntry[] }
  | { what: 'settings'; settings: Settings }
  | { what: 'actions'; actions: ActionsConfig };

export class ConfigStore {
  readonly dir: string;
  private readonly projectsFile: JsonFile<typeof ProjectsFileSchema>;
  private readonly settingsFile: JsonFile<typeof SettingsFileSchema>;
  private readonly actionsFile: JsonFile<typeof ActionsConfigSchema>;
  private entries: ProjectEntry[] = [];
  private current: Settings = cloneDefaults();
  private actionsValue: ActionsConfig = noActions();
  private loading: Promise<string[]> | null = null;
  // Mutations run one after another so two quick adds cannot overwrite each other's file.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(change: ConfigChange) => void>();

  constructor(dir: string = defaultConfigDir()) {
    this.dir = dir;
    this.projectsFile = new JsonFile(join(dir, 'projects.json'), ProjectsFileSchema, () => ({ projects: [] }));
    this.settingsFile = new JsonFile(join(dir, 'settings.json'), SettingsFileSchema, cloneDefaults);
    this.actionsFile = new JsonFile(join(dir, 'actions.json'), ActionsConfigSchema, noActions);
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
      const existing = this.entries.find((e) => e.id === id);
      if (existing) return { ...existing };
      const entry: ProjectEntry = { id, root: real, name: basename(real) || real, paused: false, addedAt: now };
      await this.saveProjects([...this.entries, entry]);
      return { ...entry };
    });
  }

  /** Forget a project; false when it was not registered. */
  removeProject(id: string): Promise<boolean> {
    return this.mutate(async () => {
      if (!this.entries.some((e) => e.id === id)) return false;
      await this.saveProjects(this.entries.filter((e) => e.id !== id));
      return true;
    });
  }

  setPaused(id: string, paused: boolean): Promise<ProjectEntry> {
    return this.mutate(async () => {
      const entry = this.entries.find((e) => e.id === id);
      if (!entry) throw new EngineError('not_found', `No project with id ${id} is registered`);
      if (entry.paused === paused) return { ...entry };
      const updated = { ...entry, paused };
      await this.saveProjects(this.entries.map((e) => (e.id === id ? updated : e)));
      return { ...updated };
    });
  }

  settings(): Settings {
    return structuredClone(this.current);
  }

  /** Change some settings (top-level keys replace whole values). Rejects invalid values with what is wrong. */
  updateSettings(partial: Partial<Settings>): Promise<Settings> {
    return this.mutate(async () => {
      const parsed = SettingsSchema.safeParse({ ...this.current, ...partial });
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first && first.path.length > 0 ? ` ${first.path.join('.')}` : '';
        throw new EngineError('invalid', `Invalid setting${where}: ${first?.message ?? 'invalid value'}`);
      }
      await this.settingsFile.save(parsed.data);
      this.current = parsed.data;
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
      await this.readActions();
      return this.actions();
    });
  }

  /**
   * Change the action config: `change` gets what is on disk now (not a stale copy) and returns
   * the new config, which is validated and saved. Throws with what is wrong; nothing is saved then.
   */
  updateActions(change: (current: ActionsConfig) => ActionsConfig): Promise<ActionsConfig> {
    return this.mutate(async () => {
      await this.readActions();
      const parsed = ActionsConfigSchema.safeParse(change(this.actions()));
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
        throw new Error(`Invalid action config${where}: ${first?.message ?? 'invalid value'}`);
      }
      await this.actionsFile.save(parsed.data);
      this.actionsValue = parsed.data;
      this.emit({ what: 'actions', actions: this.actions() });
      return this.actions();
    });
  }

  onChange(listener: (change: ConfigChange) => void): Closable {
    this.listeners.add(listener);
    return { close: () => this.listeners.delete(listener) };
  }

  private mutate<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.load();
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readActions(): Promise<void> {
    const loaded = await this.actionsFile.load();
    if (loaded.warning) throw new Error(loaded.warning);
    this.actionsValue = loaded.value;
  }

  private async saveProjects(entries: ProjectEntry[]): Promise<void> {
    const file: ProjectsFile = { projects: entries };
    await this.projectsFile.save(file);
    this.entries = entries;
    this.emit({ what: 'projects', projects: this.projects() });
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
