import { describe, expect, test } from 'vitest';
import { hashOf, Table } from '../../renderer/store/table';

// Two pairs of keys whose 32-bit hashes are equal (found by a search over such keys).
const COLLIDING = [
  ['p6/plan-184911', 'p5/plan-322635'],
  ['p5/plan-199659', 'p0/plan-380254'],
] as const;

/** A small seeded PRNG, so a failing sequence of edits can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sorted = <T>(table: Table<T>): [string, T][] => [...table.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
const sortedMap = <T>(map: Map<string, T>): [string, T][] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

describe('Table', () => {
  test('set, get, delete and size, like a Map', () => {
    const t = Table.from([['a', 1], ['b', 2]]);
    expect(t.get('a')).toBe(1);
    expect(t.has('b')).toBe(true);
    expect(t.get('c')).toBeUndefined();
    expect(t.size).toBe(2);
    const u = t.edit().set('c', 3).delete('a').done();
    expect(sorted(u)).toEqual([['b', 2], ['c', 3]]);
    expect(u.size).toBe(2);
    expect(t.toJSON()).toEqual({ a: 1, b: 2 });
  });

  test('an edit never changes the table it started from', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `p${i % 20}/plan-${i}`);
    const before = Table.from(keys.map((k) => [k, { k }]));
    const snapshot = sorted(before);
    const edit = before.edit();
    for (const k of keys.slice(0, 2500)) edit.set(k, { k: `${k}!` });
    for (const k of keys.slice(2500, 3000)) edit.delete(k);
    const after = edit.done();
    expect(sorted(before)).toEqual(snapshot);
    expect(after.size).toBe(4500);
    expect(after.get(keys[4000]!)).toBe(before.get(keys[4000]!));
    expect(after.get(keys[0]!)).toEqual({ k: `${keys[0]}!` });
  });

  test('an edit that changes nothing gives back the same table', () => {
    const value = { x: 1 };
    const t = Table.from([['a', value]]);
    expect(t.edit().set('a', value).delete('missing').done()).toBe(t);
  });

  test('keys with equal hashes are both kept, found and removed', () => {
    for (const [a, b] of COLLIDING) expect(hashOf(a)).toBe(hashOf(b));
    const [[a, b]] = COLLIDING;
    const t = Table.from([[a, 'A'], [b, 'B'], ['other', 'O']]);
    expect([t.get(a), t.get(b), t.size]).toEqual(['A', 'B', 3]);
    const u = t.edit().set(b, 'B2').delete(a).done();
    expect([u.get(a), u.get(b), u.size]).toEqual([undefined, 'B2', 2]);
    expect([t.get(a), t.get(b)]).toEqual(['A', 'B']);
  });

  test('random edits agree with a Map, and every earlier version stays as it was', () => {
    const next = random(42);
    const keys = [...Array.from({ length: 3000 }, (_, i) => `p${i % 13}/item-${i}`), ...COLLIDING.flat()];
    const versions: { table: Table<number>; expected: [string, number][] }[] = [];
    const map = new Map<string, number>();
    let table = Table.empty<number>();
    for (let round = 0; round < 40; round++) {
      const edit = table.edit();
      const ops = Math.floor(next() * 400);
      for (let i = 0; i < ops; i++) {
        const key = keys[Math.floor(next() * keys.length)]!;
        if (next() < 0.35) {
          edit.delete(key);
          map.delete(key);
        } else {
          const value = Math.floor(next() * 1000);
          edit.set(key, value);
          map.set(key, value);
        }
      }
      expect(edit.size).toBe(map.size);
      table = edit.done();
      expect(table.size).toBe(map.size);
      versions.push({ table, expected: sortedMap(map) });
    }
    for (const { table: version, expected } of versions) {
      expect(sorted(version)).toEqual(expected);
      expect(expected.map(([key]) => version.get(key))).toEqual(expected.map(([, value]) => value));
    }
    // Emptied, it holds nothing and finds nothing.
    const edit = table.edit();
    for (const key of edit.keys()) edit.delete(key);
    const empty = edit.done();
    expect(empty.size).toBe(0);
    expect([...empty.keys()]).toEqual([]);
    expect(empty.get(keys[0]!)).toBeUndefined();
  });

  test('an edit can go on after done() without changing the table it returned', () => {
    const edit = Table.from([['a', 1]]).edit();
    const first = edit.set('b', 2).done();
    const second = edit.set('c', 3).delete('a').done();
    expect(sorted(first)).toEqual([['a', 1], ['b', 2]]);
    expect(sorted(second)).toEqual([['b', 2], ['c', 3]]);
  });
});
