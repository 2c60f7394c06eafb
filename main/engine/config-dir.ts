// Where Vigil's settings live. A module of its own, on Node built-ins only: `vigil hook`
// (dist/hook.cjs), which every agent hook call starts, needs this rule and nothing else of the
// config code, and each package it loads costs the agent time on every call.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Vigil keeps its settings: VIGIL_CONFIG_DIR, else $XDG_CONFIG_HOME/vigil, else ~/.config/vigil. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_CONFIG_DIR) return env.VIGIL_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'vigil');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'vigil');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vigil');
}
