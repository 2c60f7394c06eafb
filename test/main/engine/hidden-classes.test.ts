// Objects made once per event or once per item share their hidden classes. On Node 20's V8,
// `{ ...x, more }` gives every object a class of its own once the line has run a few times
// (docs/architecture.md, "Objects on hot paths"): microseconds to make each, a few hundred bytes
// of classes each, and a megamorphic lookup wherever they are read after. V8's %HaveSameMap
// tells two objects' classes apart; natives syntax is switched on for the one function compiled
// here.
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, test } from 'vitest';
import type { DomainEvent, EngineEvent } from '../../../shared/protocol';
import { transitionOf, type StatusEvent } from '../../../shared/transition';
import { createEngine } from '../../../main/engine/engine';
import { Hub } from '../../../main/engine/hub';
import { activityEntryOf } from '../../../renderer/store/live-model';
import { taskmasterTasks, tempDir, writeFiles } from './live-helpers';

setFlagsFromString('--allow-natives-syntax');
const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many hidden classes the objects have between them. */
function classCount(objects: readonly object[]): number {
  const seen: object[] = [];
  for (const object of objects) if (!seen.some((one) => sameClass(one, object))) seen.push(object);
  return seen.length;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Each event a literal of its own, as the project model makes them. */
const planUpdated = (i: number): DomainEvent => ({ type: 'plan:updated', payload: { plan: { id: `p${i}` } as never } });
const statusChange = (i: number): DomainEvent => ({
  type: 'item:status',
  payload: { projectId: 'app', kind: 'plan', id: `p${i}`, title: `Plan ${i}`, from: 'todo', to: 'in_progress' },
});

describe('hidden classes on the hot paths', () => {
  test('the hub stamps every event of a shape with one class', () => {
    const hub = new Hub();
    const stamped: EngineEvent[] = [];
    // Warm: the class of its own shows only after the line has run a few times.
    for (let i = 0; i < 200; i++) stamped.push(...hub.publish([planUpdated(i)]));
    expect(classCount(stamped.slice(100))).toBe(1);
    const found = hub.publish(Array.from({ length: 100 }, (_, i) => ({ ...planUpdated(i), foundOnStart: true })));
    expect(classCount(found.slice(50))).toBe(1);
    expect(Object.keys(found[0]!)).toEqual(['type', 'payload', 'foundOnStart', 'seq', 'ts']);
    expect(Object.keys(stamped[0]!)).toEqual(['type', 'payload', 'seq', 'ts']);
  });

  test('transitions and activity entries made from status events share one class', () => {
    const hub = new Hub();
    const events = hub.publish(Array.from({ length: 200 }, (_, i) => statusChange(i))) as StatusEvent[];
    const transitions = events.map(transitionOf);
    const entries = events.map(activityEntryOf);
    expect(classCount(transitions.slice(100))).toBe(1);
    expect(classCount(entries.slice(100))).toBe(1);
    expect(transitions[7]).toEqual({ projectId: 'app', kind: 'plan', id: 'p7', title: 'Plan 7', from: 'todo', to: 'in_progress', at: events[7]!.ts, seq: events[7]!.seq });
    expect(entries[7]).toEqual({ ...transitions[7], key: `seq:${events[7]!.seq}` });
  });

  test("the engine's items of one shape share one class", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFiles(dir.path, { '.taskmaster/tasks/tasks.json': taskmasterTasks(Array.from({ length: 120 }, () => 'pending')) });
    const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0 });
    cleanups.push(() => void engine.close());
    const plans = engine.snapshot().plans;
    expect(plans.length).toBeGreaterThanOrEqual(120);
    // Items with the same fields in the same order (the tasks; their file's own plan differs).
    const byShape = new Map<string, object[]>();
    for (const plan of plans) {
      const shape = Object.keys(plan).join(',');
      byShape.set(shape, [...(byShape.get(shape) ?? []), plan]);
    }
    const tasks = [...byShape.values()].sort((a, b) => b.length - a.length)[0]!;
    expect(tasks.length).toBeGreaterThanOrEqual(120);
    expect(classCount(tasks)).toBe(1);
    // The model's fields come after the adapter's, as before.
    expect(Object.keys(tasks[0]!).slice(-2)).toEqual(['projectId', 'updatedAt']);
  });
});
