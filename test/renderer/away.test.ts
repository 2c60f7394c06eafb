// "While you were away" on the client: when a page that comes back should ask for a digest,
// and what it keeps between visits. The clock is passed in, never waited for.
import { describe, expect, test } from 'vitest';
import { AWAY_AFTER_MS, awaySince, localLastSeen } from '../../renderer/store/away';

const T = Date.UTC(2026, 10, 20, 9, 0, 0);
const MINUTE = 60_000;

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('the away check', () => {
  test('a page back after 15 minutes asks from the seq it saw last; after 9 minutes it does not', () => {
    expect(awaySince({ seq: 40, at: T }, T + 15 * MINUTE, 52)).toBe(40);
    expect(awaySince({ seq: 40, at: T }, T + 9 * MINUTE, 52)).toBeNull();
    expect(awaySince({ seq: 40, at: T }, T + AWAY_AFTER_MS, 52)).toBeNull();
  });

  test('nothing to say for a first visit, when nothing happened, or when the server counts from a new journal', () => {
    expect(awaySince(null, T, 52)).toBeNull();
    expect(awaySince({ seq: 52, at: T }, T + 60 * MINUTE, 52)).toBeNull();
    expect(awaySince({ seq: 900, at: T }, T + 60 * MINUTE, 52)).toBeNull();
  });

  test('the last seen seq is kept per server, and a damaged entry reads as none', () => {
    const storage = memoryStorage();
    const a = localLastSeen('http://127.0.0.1:4317', storage);
    const b = localLastSeen('http://10.0.0.2:4317', storage);
    a.write({ seq: 7, at: T });
    expect(a.read()).toEqual({ seq: 7, at: T });
    expect(b.read()).toBeNull();
    storage.items.set('vigil:last-seen:http://10.0.0.2:4317', '{"seq":"x"');
    expect(b.read()).toBeNull();
    expect(localLastSeen('x', null).read()).toBeNull();
  });
});
