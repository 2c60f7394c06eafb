// The swarm's checks judge each distinct client model once and share the verdict; these tests
// hold them to still catching every client that holds a wrong or half-written plan. Clients
// are real renderer-store models fed frames as JSON text, the way the swarm feeds them.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/protocol';
import { hello, plan, planUpdated, project } from '../../renderer/fixtures';
import { ClientChecks, type CheckedClient, type Delivery } from './client-checks';
import { fieldsOf } from './mirror';
import { StoreModel } from './store-model';

const P = 'p1';
const start = plan(P, 'a', { title: 'Plan a', progress: { done: 0, total: 3 } });
const other = plan(P, 'b');
const written = { ...start, title: 'Plan a, renamed', progress: { done: 1, total: 3 } };
/** What a half-written file parses to: the title is there, the checkboxes not yet. */
const halfWritten = { ...start, title: 'Plan a, renamed', progress: { done: 0, total: 0 } };

function setUp(count: number) {
  const delivered: Delivery[] = [];
  const checks = new ClientChecks(() => count, (d) => delivered.push(d));
  const clients: CheckedClient[] = Array.from({ length: count }, (_, index) => ({ index, model: new StoreModel() }));
  for (const client of clients) {
    client.model.hello(hello(10, { seq: 10, projects: [project(P)], plans: [start, other] }));
    checks.helloApplied(client);
  }
  checks.initialStates(P, [fieldsOf(start), fieldsOf(other)]);
  checks.expect({ id: 1, projectId: P, changes: [['a', fieldsOf(written)]], before: [['a', fieldsOf(start)]] });
  return { checks, clients, delivered };
}

const frameText = (events: EngineEvent[]) => `2${JSON.stringify(['events', events])}`;

/** What the swarm does with a frame: decode, apply to the client's own model, check. */
function receive(checks: ClientChecks, client: CheckedClient, text: string, at: number): void {
  const [, batch] = JSON.parse(text.slice(1)) as [string, EngineEvent[]];
  client.model.apply(batch);
  checks.frameApplied(client, text, batch, at, null);
}

describe('swarm client checks', () => {
  it('judges a frame once for every client that applied the same bytes, and delivers when the last one holds it', () => {
    const { checks, clients, delivered } = setUp(3);
    const frame = frameText([planUpdated(11, written)]);
    clients.forEach((client, i) => receive(checks, client, frame, 100 + i));
    expect(delivered).toEqual([{ id: 1, t: 102, first: 100, stamp: 0, seq: 11 }]);
    expect(checks.counts).toEqual({ judged: 1, shared: 2 });
    expect(checks.heldStates()).toEqual([]);
  });

  it('reports each client that held a half-written state, and only those', () => {
    const { checks, clients, delivered } = setUp(4);
    const half = frameText([planUpdated(11, halfWritten)]);
    const whole = frameText([planUpdated(12, written)]);
    // Clients 0 and 1 see the half-written state first; 2 and 3 get the whole file in one frame.
    receive(checks, clients[0]!, half, 100);
    receive(checks, clients[1]!, half, 101);
    const both = frameText([planUpdated(11, halfWritten), planUpdated(12, written)]);
    receive(checks, clients[2]!, both, 102);
    receive(checks, clients[3]!, both, 103);
    receive(checks, clients[0]!, whole, 104);
    receive(checks, clients[1]!, whole, 105);
    const held = checks.heldStates();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ writeId: 1, projectId: P, planId: 'a', held: fieldsOf(halfWritten), at: 100 });
    expect(held[0]!.clients.sort()).toEqual([0, 1]);
    expect(delivered.map((d) => d.id)).toEqual([1]);
  });

  it('judges on its own a client whose frame differs from the one its lineage applied, and catches its wrong state', () => {
    const { checks, clients, delivered } = setUp(3);
    const frame = frameText([planUpdated(11, written)]);
    // The server sends client 1 something else at the same seq: a state no write produced.
    const wrong = { ...written, title: 'Plan a, garbled' };
    receive(checks, clients[0]!, frame, 100);
    receive(checks, clients[1]!, frameText([planUpdated(11, wrong)]), 101);
    receive(checks, clients[2]!, frame, 102);
    expect(checks.heldStates()).toEqual([expect.objectContaining({ planId: 'a', held: fieldsOf(wrong), clients: [1] })]);
    // It never held the write: not delivered, and its later frames are judged on its own model.
    expect(delivered).toEqual([]);
    const next = frameText([planUpdated(12, written)]);
    receive(checks, clients[1]!, next, 103);
    expect(delivered.map((d) => d.id)).toEqual([1]);
    expect(checks.counts.judged).toBe(3);
  });

  it('puts a client whose hello held other plans in a lineage of its own', () => {
    const { checks, clients } = setUp(2);
    const odd: CheckedClient = { index: 2, model: new StoreModel() };
    odd.model.hello(hello(10, { seq: 10, projects: [project(P)], plans: [halfWritten, other] }));
    checks.helloApplied(odd);
    // The same frame about another plan: the odd client still holds the half-written plan 'a'.
    const frame = frameText([planUpdated(11, { ...other, title: 'Plan b, renamed' })]);
    checks.expect({ id: 2, projectId: P, changes: [['b', fieldsOf({ ...other, title: 'Plan b, renamed' })]], before: [['b', fieldsOf(other)]] });
    for (const client of [...clients, odd]) receive(checks, client, frame, 100 + client.index);
    // Its verdict about write 1 was not borrowed from the others: it is judged apart.
    expect(checks.counts).toEqual({ judged: 2, shared: 1 });
  });

  it('judges a frame again for a client that reaches it after a newer write of the plan was announced', () => {
    const { checks, clients } = setUp(2);
    // A frame that touches 'a' and leaves it as it was: allowed while write 1 is the newest.
    const frame = frameText([planUpdated(11, start)]);
    receive(checks, clients[0]!, frame, 100);
    expect(checks.heldStates()).toEqual([]);
    // Write 2 is announced (after write 1): 'start' is no longer a state 'a' may be in.
    const again = { ...written, title: 'Plan a, again' };
    checks.expect({ id: 2, projectId: P, changes: [['a', fieldsOf(again)]], before: [['a', fieldsOf(written)]] });
    receive(checks, clients[1]!, frame, 101);
    expect(checks.heldStates()).toEqual([expect.objectContaining({ writeId: 2, planId: 'a', held: fieldsOf(start), clients: [1] })]);
  });
});
