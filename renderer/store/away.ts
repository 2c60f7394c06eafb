// "While you were away": each window or browser keeps the last seq it saw, and when, in its
// own storage. Coming back (the page opened again, or the tab shown again) more than
// AWAY_AFTER_MS later asks the journal what happened after that seq. Pure apart from the
// storage handed in, and with the time passed in, so tests set the clock.

export const AWAY_AFTER_MS = 10 * 60 * 1000;

export interface LastSeen {
  seq: number;
  /** ms since epoch, this machine's clock. */
  at: number;
}

export interface LastSeenStore {
  read(): LastSeen | null;
  write(value: LastSeen): void;
}

/** The seq to ask the digest from, or null when the person was not away long enough (or never here). */
export function awaySince(lastSeen: LastSeen | null, now: number, currentSeq: number): number | null {
  if (!lastSeen || now - lastSeen.at <= AWAY_AFTER_MS) return null;
  // A seq ahead of the server's is from a journal that was replaced: nothing to compare with.
  if (lastSeen.seq > currentSeq || lastSeen.seq === currentSeq) return null;
  return lastSeen.seq;
}

/** The browser's localStorage, one entry per server, ignoring a storage that refuses (private mode, quota). */
export function localLastSeen(endpoint: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null): LastSeenStore {
  const key = `vigil:last-seen:${endpoint}`;
  return {
    read() {
      try {
        const parsed = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<LastSeen> | null;
        return parsed && Number.isSafeInteger(parsed.seq) && Number.isFinite(parsed.at) ? { seq: parsed.seq as number, at: parsed.at as number } : null;
      } catch {
        return null;
      }
    },
    write(value) {
      try {
        storage?.setItem(key, JSON.stringify(value));
      } catch {
        // Without storage the panel cannot appear next time; nothing else depends on it.
      }
    },
  };
}
