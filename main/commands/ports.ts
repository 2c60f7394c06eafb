// Port numbers from the command line, and "4317 unless it is taken" for the commands a person
// starts without thinking about ports (`vigil demo`, `vigil start`).
import { ListenError } from '../server/listen-error';

/** A port from 0 to 65535; `fallback` when none was given; null when the text is not one. */
export function parsePort(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/**
 * Listen on `preferred`; when something else already listens there, on a free port instead.
 * Trying is the only race-free check: a probe could be beaten to the port by another process.
 */
export async function listenPreferring<T>(preferred: number, listen: (port: number) => Promise<T>): Promise<T> {
  try {
    return await listen(preferred);
  } catch (err) {
    if (preferred === 0 || !(err instanceof ListenError) || err.code !== 'EADDRINUSE') throw err;
    return listen(0);
  }
}
