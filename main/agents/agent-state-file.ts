// What the tracker keeps across restarts, in the config folder: the sessions (so one that
// waits for its user still shows after Vigil restarts) and, per project, when its hooks last
// fired (what `vigil hooks status` reports, read by another process).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AgentSessionSchema } from '../../shared/model';
import { JsonFile } from '../engine/json-file';

export const AGENT_STATE_FILE = 'agents.json';

export const HookActivitySchema = z.object({
  /** ms since epoch of the newest hook event from the project. */
  at: z.number(),
  agent: z.string(),
  /** The hook event as the agent named it (`Notification`, `agent-turn-complete`, `needs-input`). */
  event: z.string(),
});
export type HookActivity = z.infer<typeof HookActivitySchema>;

const AgentStateSchema = z.object({
  version: z.literal(1),
  sessions: z.array(AgentSessionSchema),
  /** By project id. */
  hooks: z.record(z.string(), HookActivitySchema),
});
export type AgentStateDocument = z.infer<typeof AgentStateSchema>;

export function agentStateFile(configDir: string): JsonFile<typeof AgentStateSchema> {
  return new JsonFile(join(configDir, AGENT_STATE_FILE), AgentStateSchema, () => ({ version: 1 as const, sessions: [], hooks: {} }));
}

/** The last hook event per project id, read without side effects (a damaged file reads as empty). */
export async function readHookActivity(configDir: string): Promise<Record<string, HookActivity>> {
  try {
    const parsed = AgentStateSchema.safeParse(JSON.parse(await readFile(join(configDir, AGENT_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data.hooks : {};
  } catch {
    return {};
  }
}
