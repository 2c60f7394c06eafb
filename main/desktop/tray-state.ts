// What the tray shows, as data: the icon follows health and turns amber while an agent waits
// for its user; the menu follows the engine and the LAN server. The Electron tray only draws
// this, so the rules are tested without Electron.
import type { AgentSession, Health, HealthLevel } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';

export interface TrayInputs {
  /** null before the engine has computed health once. */
  health: Health | null;
  running: boolean;
  lanEnabled: boolean;
  /** Ids of the agent sessions waiting for their user. */
  waiting: readonly string[];
}

export type TrayAction = 'open' | 'toggle-engine' | 'toggle-lan' | 'quit';

export type TrayMenuItem =
  | { kind: 'action'; action: TrayAction; label: string }
  | { kind: 'checkbox'; action: TrayAction; label: string; checked: boolean }
  | { kind: 'separator' };

export interface TrayState {
  icon: HealthLevel;
  tooltip: string;
  menu: TrayMenuItem[];
}

const LEVEL_WORDS: Record<HealthLevel, string> = { ok: 'all good', warning: 'needs a look', critical: 'critical' };

/** The sessions a snapshot has waiting for their user. */
export function waitingIn(agents: readonly AgentSession[]): string[] {
  return agents.filter((a) => a.state === 'needs-input').map((a) => a.id);
}

export function trayStateFor({ health, running, lanEnabled, waiting }: TrayInputs): TrayState {
  const level: HealthLevel = health?.level ?? 'ok';
  // Waiting agents are amber whatever health says, unless health is worse.
  const icon: HealthLevel = waiting.length > 0 && level === 'ok' ? 'warning' : level;
  const waitingLabel = waiting.length === 1 ? 'An agent needs you' : `${waiting.length} agents need you`;
  return {
    icon,
    tooltip: waiting.length > 0 ? `Vigil — ${waitingLabel.toLowerCase()}` : tooltipFor(health, running),
    menu: [
      ...(waiting.length > 0 ? [{ kind: 'action' as const, action: 'open' as const, label: `${waitingLabel}…` }] : []),
      { kind: 'action', action: 'open', label: 'Open Vigil' },
      { kind: 'action', action: 'toggle-engine', label: running ? 'Pause watching' : 'Resume watching' },
      { kind: 'checkbox', action: 'toggle-lan', label: 'LAN server', checked: lanEnabled },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Vigil' },
    ],
  };
}

function tooltipFor(health: Health | null, running: boolean): string {
  if (!running) return 'Vigil — paused';
  if (!health) return 'Vigil — starting';
  const worst = health.conditions.find((c) => c.level === health.level);
  const detail = health.level !== 'ok' && worst ? `: ${worst.message}` : '';
  const more = health.conditions.length > 1 && detail ? ` (+${health.conditions.length - 1} more)` : '';
  return `Vigil — ${LEVEL_WORDS[health.level]}${detail}${more}`;
}

/** The inputs after a batch of engine events (health, engine state and waiting agents are what the tray follows). */
export function trayInputsAfter(inputs: TrayInputs, events: readonly EngineEvent[]): TrayInputs {
  let next = inputs;
  for (const event of events) {
    if (event.type === 'health:changed') next = { ...next, health: event.payload.health };
    else if (event.type === 'engine:state') next = { ...next, running: event.payload.running };
    else if (event.type.startsWith('agent:')) {
      const { session } = event.payload as { session: AgentSession };
      const others = next.waiting.filter((id) => id !== session.id);
      next = { ...next, waiting: session.state === 'needs-input' ? [...others, session.id] : others };
    }
  }
  return next;
}

/**
 * What closing the window does: hide it (Vigil keeps watching from the tray) when the
 * setting asks for it and there is a tray to come back from; otherwise really close.
 */
export function closeAction(input: { quitting: boolean; closeToTray: boolean; hasTray: boolean }): 'hide' | 'close' {
  return !input.quitting && input.closeToTray && input.hasTray ? 'hide' : 'close';
}
