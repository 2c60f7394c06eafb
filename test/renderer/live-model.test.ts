import { describe, expect, test } from 'vitest';
import { ACTIVITY_LIMIT, applyEvents, applyHeartbeat, applyHello, emptyModel, HEARTBEAT_LIMIT } from '../../renderer/store/live-model';
import { itemKey } from '../../renderer/store/keys';
import type { EngineEvent } from '../../shared/protocol';
import { hello, plan, planUpdated, project, statusChanged } from './fixtures';

const a1 = plan('pa', 'a1');
const a2 = plan('pa', 'a2');
const b1 = plan('pb', 'b1');
const loaded = () => applyHello(emptyModel(), hello(10, { projects: [project('pa'), project('pb')], plans: [a1, a2, b1] }), 5000);

describe('applyHello', () => {
  test('a hello fills the tables by project and id and sets lastSeq', () => {
    const s = loaded();
    expect(s.loaded).toBe(true);
    expect(s.lastSeq).toBe(10);
    expect([...s.plans.keys()].sort()).toEqual([itemKey('pa', 'a1'), itemKey('pa', 'a2'), itemKey('pb', 'b1')]);
    expect(s.clockSkewMs).toBe(1000 - 5000);
  });

  test('a hello with a lower seq (a restarted server) replaces the model and its seq', () => {
    const s = applyHello(loaded(), hello(2, { projects: [project('pa')], plans: [a1] }));
    expect(s.lastSeq).toBe(2);
    expect([...s.plans.keys()]).toEqual([itemKey('pa', 'a1')]);
  });

  test('a second hello keeps the identity of rows that did not change', () => {
    const before = loaded();
    const changed = { ...a2, status: 'done' as const };
    const after = applyHello(before, hello(12, { projects: [project('pa'), project('pb')], plans: [a1, changed, b1] }));
    expect(after.plans.get(itemKey('pa', 'a1'))).toBe(before.plans.get(itemKey('pa', 'a1')));
    expect(after.plans.get(itemKey('pa', 'a2'))).not.toBe(before.plans.get(itemKey('pa', 'a2')));
    expect(after.projects['pa']).toBe(before.projects['pa']);
  });

  test('a hello equal to what we hold keeps every table as it is', () => {
    const before = loaded();
    const after = applyHello(before, hello(12, { projects: [project('pa'), project('pb')], plans: [{ ...a1 }, { ...a2 }, { ...b1 }] }));
    expect(after.plans).toBe(before.plans);
    expect(after.stubs).toBe(before.stubs);
  });

  test('snapshot activity is kept oldest first', () => {
    const s = applyHello(emptyModel(), hello(3, {
      activity: [
        { projectId: 'pa', kind: 'plan', id: 'a1', title: 'x', from: 'todo', to: 'done', at: 30 },
        { projectId: 'pa', kind: 'plan', id: 'a2', title: 'y', from: null, to: 'todo', at: 10 },
      ],
    }));
    expect(s.activity.map((a) => a.at)).toEqual([10, 30]);
  });
});

describe('applyEvents', () => {
  test('events apply in seq order, even when a batch arrives shuffled', () => {
    const first = { ...a1, title: 'first' };
    const second = { ...a1, title: 'second' };
    const { state, gap } = applyEvents(loaded(), [planUpdated(12, second), planUpdated(11, first)]);
    expect(gap).toBeNull();
    expect(state.lastSeq).toBe(12);
    expect(state.plans.get(itemKey('pa', 'a1'))!.title).toBe('second');
  });

  test('duplicate and out-of-order events (seq ≤ lastSeq) are ignored', () => {
    const s1 = applyEvents(loaded(), [planUpdated(11, { ...a1, title: 'new' })]).state;
    const replayed = applyEvents(s1, [planUpdated(11, { ...a1, title: 'stale copy' }), planUpdated(9, { ...a1, title: 'old' })]);
    expect(replayed.state).toBe(s1);
    expect(replayed.gap).toBeNull();
    expect(replayed.state.plans.get(itemKey('pa', 'a1'))!.title).toBe('new');
  });

  test('a gap stops the batch before the hole and is reported for a resync', () => {
    const { state, gap } = applyEvents(loaded(), [
      planUpdated(11, { ...a1, title: 'applied' }),
      planUpdated(13, { ...a2, title: 'after the hole' }),
    ]);
    expect(gap).toEqual({ sinceSeq: 11, receivedSeq: 13 });
    expect(state.lastSeq).toBe(11);
    expect(state.plans.get(itemKey('pa', 'a1'))!.title).toBe('applied');
    expect(state.plans.get(itemKey('pa', 'a2'))!.title).toBe(a2.title);
  });

  test('a batch that starts past a hole changes nothing and reports the gap', () => {
    const before = loaded();
    const { state, gap } = applyEvents(before, [planUpdated(15, a1)]);
    expect(state).toBe(before);
    expect(gap).toEqual({ sinceSeq: 10, receivedSeq: 15 });
  });

  test('only touched rows and tables get new identities', () => {
    const before = loaded();
    const { state } = applyEvents(before, [planUpdated(11, { ...a1, status: 'in_progress' })]);
    expect(state.plans).not.toBe(before.plans);
    expect(state.plans.get(itemKey('pa', 'a1'))).not.toBe(before.plans.get(itemKey('pa', 'a1')));
    expect(state.plans.get(itemKey('pa', 'a2'))).toBe(before.plans.get(itemKey('pa', 'a2')));
    expect(state.plans.get(itemKey('pb', 'b1'))).toBe(before.plans.get(itemKey('pb', 'b1')));
    expect(state.projects).toBe(before.projects);
    expect(state.stubs).toBe(before.stubs);
    expect(state.issues).toBe(before.issues);
  });

  test('events before the first hello are left for the hello to carry', () => {
    const empty = emptyModel();
    const { state, gap } = applyEvents(empty, [planUpdated(1, a1)]);
    expect(state).toBe(empty);
    expect(gap).toBeNull();
  });

  test('removing a project removes its plans, stubs, work orders and issues', () => {
    const withIssue = applyEvents(loaded(), [
      { seq: 11, ts: 1, type: 'parse:issue', payload: { projectId: 'pa', path: 'x.json', issues: [{ projectId: 'pa', path: 'x.json', line: 1, message: 'bad' }] } },
    ]).state;
    const { state } = applyEvents(withIssue, [{ seq: 12, ts: 2, type: 'project:removed', payload: { projectId: 'pa' } }]);
    expect(Object.keys(state.projects)).toEqual(['pb']);
    expect([...state.plans.keys()]).toEqual([itemKey('pb', 'b1')]);
    expect(state.issues.size).toBe(0);
  });

  test('a project removed in the batch that added its plans leaves none of them', () => {
    const { state } = applyEvents(loaded(), [
      planUpdated(11, plan('pa', 'a9')),
      { seq: 12, ts: 2, type: 'project:removed', payload: { projectId: 'pa' } },
      planUpdated(13, plan('pb', 'b2')),
    ]);
    expect([...state.plans.keys()].sort()).toEqual([itemKey('pb', 'b1'), itemKey('pb', 'b2')]);
  });

  test('a batch does not change the state it was applied to', () => {
    const before = loaded();
    const plansBefore = before.plans;
    applyEvents(before, [planUpdated(11, { ...a1, title: 'new' }), planUpdated(12, plan('pa', 'a9')), { seq: 13, ts: 1, type: 'plan:removed', payload: { projectId: 'pb', id: 'b1' } }]);
    expect(before.plans).toBe(plansBefore);
    expect([...before.plans.values()]).toHaveLength(3);
    expect(before.plans.get(itemKey('pa', 'a1'))).toBe(a1);
    expect(before.plans.get(itemKey('pb', 'b1'))).toBe(b1);
  });

  test('a batch that alters no row keeps every table, though its seq counts', () => {
    const before = loaded();
    const { state } = applyEvents(before, [
      planUpdated(11, a1), // the very row the table holds
      { seq: 12, ts: 1, type: 'plan:removed', payload: { projectId: 'pa', id: 'missing' } },
      { seq: 13, ts: 2, type: 'parse:issue', payload: { projectId: 'pa', path: 'clean.md', issues: [] } },
      { seq: 14, ts: 3, type: 'project:removed', payload: { projectId: 'gone' } },
    ]);
    expect(state.lastSeq).toBe(14);
    expect(state.plans).toBe(before.plans);
    expect(state.stubs).toBe(before.stubs);
    expect(state.workorders).toBe(before.workorders);
    expect(state.issues).toBe(before.issues);
  });

  test('on a big model, batch after batch, every earlier version stays as it was', () => {
    const plans = Array.from({ length: 2000 }, (_, i) => plan(`p${i % 7}`, `x${i}`));
    let state = applyHello(emptyModel(), hello(1, { projects: [0, 1, 2, 3, 4, 5, 6].map((i) => project(`p${i}`)), plans }));
    const versions: { plans: typeof state.plans; expected: Record<string, string> }[] = [];
    const rows = (table: typeof state.plans): Record<string, string> => Object.fromEntries([...table.entries()].map(([k, p]) => [k, p.title]));
    for (let round = 0; round < 10; round++) {
      versions.push({ plans: state.plans, expected: rows(state.plans) });
      const batch: EngineEvent[] = [];
      let seq = state.lastSeq;
      for (let i = round; i < plans.length; i += 9) batch.push(planUpdated(++seq, { ...plans[i]!, title: `r${round}` }));
      for (let i = round * 3; i < plans.length; i += 97) batch.push({ seq: ++seq, ts: 1, type: 'plan:removed', payload: { projectId: plans[i]!.projectId, id: plans[i]!.id } });
      if (round === 5) batch.push({ seq: ++seq, ts: 1, type: 'project:removed', payload: { projectId: 'p3' } });
      state = applyEvents(state, batch).state;
    }
    for (const { plans: version, expected } of versions) expect(rows(version)).toEqual(expected);
    // Round 5 removed project p3; later rounds' updates bring some of its plans back.
    expect(Object.keys(versions[6]!.expected).some((k) => k.startsWith('p3/'))).toBe(false);
    expect(Object.keys(versions[5]!.expected).some((k) => k.startsWith('p3/'))).toBe(true);
    expect(state.plans.size).toBe(Object.keys(rows(state.plans)).length);
  });

  test('the tables serialize as plain objects by key', () => {
    const s = applyEvents(loaded(), [{ seq: 11, ts: 1, type: 'parse:issue', payload: { projectId: 'pa', path: 'x.json', issues: [{ projectId: 'pa', path: 'x.json', line: 1, message: 'bad' }] } }]).state;
    const json = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    expect(json['plans']).toEqual({ [itemKey('pa', 'a1')]: a1, [itemKey('pa', 'a2')]: a2, [itemKey('pb', 'b1')]: b1 });
    expect(json['stubs']).toEqual({});
    expect(json['issues']).toEqual({ 'pa/x.json': [{ projectId: 'pa', path: 'x.json', line: 1, message: 'bad' }] });
  });

  test('an empty parse:issue list clears that file', () => {
    const issue = { projectId: 'pa', path: 'x.json', line: null, message: 'bad' };
    const s1 = applyEvents(loaded(), [{ seq: 11, ts: 1, type: 'parse:issue', payload: { projectId: 'pa', path: 'x.json', issues: [issue] } }]).state;
    expect([...s1.issues.values()].flat()).toHaveLength(1);
    const s2 = applyEvents(s1, [{ seq: 12, ts: 2, type: 'parse:issue', payload: { projectId: 'pa', path: 'x.json', issues: [] } }]).state;
    expect(s2.issues.size).toBe(0);
  });

  test('status transitions join the activity ring, which keeps the newest 200', () => {
    let s = loaded();
    const batch: EngineEvent[] = [];
    for (let i = 0; i < ACTIVITY_LIMIT + 5; i++) batch.push(statusChanged(11 + i, a1, 'todo', 'in_progress'));
    s = applyEvents(s, batch).state;
    expect(s.activity).toHaveLength(ACTIVITY_LIMIT);
    expect(s.activity[s.activity.length - 1]!.seq).toBe(10 + ACTIVITY_LIMIT + 5);
    expect(s.activity[0]!.seq).toBe(16);
  });

  test('health, throughput and engine state follow their events', () => {
    const { state } = applyEvents(loaded(), [
      { seq: 11, ts: 1, type: 'health:changed', payload: { health: { level: 'warning', since: 5, conditions: [] } } },
      { seq: 12, ts: 2, type: 'throughput:changed', payload: { throughput: { finishedLastHour: 3, failedLastHour: 1, meanCycleMs: 10 } } },
      { seq: 13, ts: 3, type: 'engine:state', payload: { running: false } },
      { seq: 14, ts: 4, type: 'project:state', payload: { projectId: 'pb', from: 'ok', to: 'paused' } },
    ]);
    expect(state.health?.level).toBe('warning');
    expect(state.throughput?.finishedLastHour).toBe(3);
    expect(state.running).toBe(false);
    expect(state.projects['pb']!.state).toBe('paused');
  });

  test('an event type this renderer does not know still advances the seq', () => {
    const unknown = { seq: 11, ts: 1, type: 'future:thing', payload: {} } as unknown as EngineEvent;
    const { state, gap } = applyEvents(loaded(), [unknown, planUpdated(12, a1)]);
    expect(gap).toBeNull();
    expect(state.lastSeq).toBe(12);
  });
});

describe('applyHeartbeat', () => {
  test('keeps the newest 120 beats and ignores a repeat', () => {
    let s = loaded();
    for (let tick = 1; tick <= HEARTBEAT_LIMIT + 10; tick++) s = applyHeartbeat(s, { tick, latencyMs: 1, driftMs: 0, running: true, ts: tick });
    expect(s.heartbeats).toHaveLength(HEARTBEAT_LIMIT);
    expect(s.heartbeats[0]!.tick).toBe(11);
    const again = applyHeartbeat(s, s.heartbeats[s.heartbeats.length - 1]!);
    expect(again).toBe(s);
  });
});
