// The desktop-only boundary (Electron IPC, never socket.io): settings, the LAN server, tokens,
// folder picking and reveal/open, alert channels and a project's agent hooks. One typed map, like shared/protocol.ts.
import { z } from 'zod';
import { ChannelTypeSchema, NoticeKindSchema, type ChannelInfo, type DeliveryEntry, type ProjectHooks } from './alerts';
import type { Reply } from './protocol';
import { SettingsSchema, type Settings } from './settings';
import { TokenScopeSchema, type TokenInfo } from './tokens';
import { ActionSpecSchema, type ActionInfo, type ActionSpec, type ActionsConfig, type ProjectActionsState } from './runs';

export interface LanState {
  enabled: boolean;
  /** The URL to open, with a read token in the fragment, when enabled. */
  url: string | null;
  error: string | null;
}

const relPath = z.string().min(1).max(4096);

export const DesktopRequestSchemas = {
  'dialog:pickFolder': z.object({}).strict(),
  'item:reveal': z.object({ projectId: z.string(), path: relPath }).strict(),
  'item:open': z.object({ projectId: z.string(), path: relPath }).strict(),
  'settings:get': z.object({}).strict(),
  'settings:set': SettingsSchema.partial().strict(),
  'lan:get': z.object({}).strict(),
  'lan:set': z.object({ enabled: z.boolean() }).strict(),
  'tokens:list': z.object({}).strict(),
  'tokens:create': z.object({ scope: TokenScopeSchema, label: z.string().max(100).optional() }).strict(),
  'tokens:revoke': z.object({ id: z.string() }).strict(),
  /**
   * Trust a project's `.vigil/actions.json` as it is now, so its actions may run. Only over IPC:
   * the local user decides, never a network client.
   */
  'actions:trust': z.object({ projectId: z.string() }).strict(),
  /** What a project's actions file says, trusted or not: shown before the user trusts it. */
  'actions:file': z.object({ projectId: z.string() }).strict(),
  /** The user's actions and which presets are on, with every preset there is. */
  'actions:get': z.object({}).strict(),
  /** Replace the user's actions and/or the presets that are on (both validated; nothing is saved on an error). */
  'actions:set': z.object({ actions: z.array(ActionSpecSchema).optional(), presets: z.array(z.string()).optional() }).strict(),
  'channels:list': z.object({}).strict(),
  'channels:add': z
    .object({
      type: ChannelTypeSchema,
      url: z.string().min(1).max(2048),
      name: z.string().max(100).optional(),
      kinds: z.array(NoticeKindSchema).optional(),
      projects: z.array(z.string()).nullable().optional(),
      priority: z.number().int().min(1).max(5).optional(),
      tags: z.array(z.string().max(50)).max(10).optional(),
      token: z.string().max(200).optional(),
    })
    .strict(),
  'channels:update': z
    .object({ id: z.string(), enabled: z.boolean().optional(), kinds: z.array(NoticeKindSchema).optional(), projects: z.array(z.string()).nullable().optional() })
    .strict(),
  'channels:remove': z.object({ id: z.string() }).strict(),
  'channels:test': z.object({ id: z.string() }).strict(),
  /** Whether Vigil's hooks are in a project's agent settings, and when they last fired. */
  'hooks:status': z.object({ projectId: z.string() }).strict(),
  'hooks:install': z.object({ projectId: z.string(), agent: z.enum(['claude', 'codex']) }).strict(),
  'hooks:uninstall': z.object({ projectId: z.string(), agent: z.enum(['claude', 'codex']) }).strict(),
} as const;

export type DesktopRequestName = keyof typeof DesktopRequestSchemas;
export type DesktopRequestPayload<R extends DesktopRequestName> = z.infer<(typeof DesktopRequestSchemas)[R]>;

export interface DesktopResults {
  'dialog:pickFolder': { path: string | null };
  'item:reveal': Record<string, never>;
  'item:open': Record<string, never>;
  'settings:get': Settings;
  'settings:set': Settings;
  'lan:get': LanState;
  'lan:set': LanState;
  'tokens:list': TokenInfo[];
  'tokens:create': { token: TokenInfo; secret: string };
  'tokens:revoke': Record<string, never>;
  'actions:trust': { root: string; sha256: string; count: number };
  'actions:file': { state: ProjectActionsState; actions: ActionSpec[] };
  'actions:get': ActionsSettings;
  'actions:set': ActionsSettings;
  'channels:list': { channels: ChannelInfo[]; log: DeliveryEntry[] };
  /** The webhook secret is shown once, on creation. */
  'channels:add': { channel: ChannelInfo; secret: string | null };
  'channels:update': ChannelInfo;
  'channels:remove': Record<string, never>;
  'channels:test': DeliveryEntry;
  'hooks:status': ProjectHooks;
  'hooks:install': ProjectHooks;
  'hooks:uninstall': ProjectHooks;
}

/** What the Settings view edits: the user's actions, and every preset with whether it is on. */
export interface ActionsSettings {
  actions: ActionsConfig['actions'];
  presets: (ActionInfo & { enabled: boolean })[];
}

export type DesktopApi = {
  [R in DesktopRequestName]: (payload: DesktopRequestPayload<R>) => Promise<Reply<DesktopResults[R]>>;
};

/** Main → window pushes that only the desktop has. */
export interface DesktopEvents {
  /** A notification was clicked: show this item. */
  'focus:item': (target: { projectId: string; kind: 'plan' | 'stub' | 'workorder' | 'project' | 'run'; id: string }) => void;
  'settings:changed': (settings: Settings) => void;
}
