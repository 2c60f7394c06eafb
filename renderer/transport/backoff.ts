// Reconnect delays: exponential (1, 2, 4, 8, 16 s, capped at 30 s) with jitter, so that a
// room full of browsers does not hammer a restarted server in the same millisecond.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0.5 spreads each delay over ±50 % of its nominal value. */
  jitter: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, jitter: 0.5 };

/** The nominal delay before attempt `attempt` (0-based): 1, 2, 4, 8, 16, 30, 30, … s. */
export function nominalDelay(attempt: number, options: BackoffOptions = RECONNECT_BACKOFF): number {
  return Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
}

/** The delay with jitter applied; `random` in [0, 1). Never above the cap, never below zero. */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = RECONNECT_BACKOFF,
): number {
  const nominal = nominalDelay(attempt, options);
  const spread = nominal * options.jitter;
  const jittered = nominal - spread + random() * 2 * spread;
  return Math.round(Math.max(0, Math.min(options.maxMs, jittered)));
}
