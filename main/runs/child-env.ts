// The environment a run gets: the user's own, without Vigil's (tokens and settings meant for
// Vigil are not the agent's business), plus what tells the agent which run it is, plus what
// the action sets.
const KEPT_VIGIL_VARS = new Set(['VIGIL_CONFIG_DIR']);

export interface RunIdentity {
  runId: string;
  attempt: number;
  projectRoot: string;
  itemId: string | null;
}

/** Is this one of Vigil's own variables, which a run does not inherit? */
export function isVigilOwnVariable(name: string): boolean {
  return name.toUpperCase().startsWith('VIGIL_') && !KEPT_VIGIL_VARS.has(name.toUpperCase());
}

export function childEnv(base: NodeJS.ProcessEnv, identity: RunIdentity, actionEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isVigilOwnVariable(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(actionEnv)) {
    if (!isVigilOwnVariable(name)) env[name] = value;
  }
  // Set last: an action cannot pass a run off as another.
  env.VIGIL_RUN_ID = identity.runId;
  env.VIGIL_RUN_ATTEMPT = String(identity.attempt);
  env.VIGIL_PROJECT_ROOT = identity.projectRoot;
  if (identity.itemId !== null) env.VIGIL_ITEM_ID = identity.itemId;
  return env;
}
