// A status change as the feed, the journal's readers and the activity view hold it, made from
// the `item:status` event that told it. Field by field, not `{ ...event.payload, at, seq }`: on
// Node 20's V8 a spread followed by more properties gives every object a hidden class of its
// own (docs/architecture.md, "Objects on hot paths"), and these are made once per event.
import type { Transition } from './model';
import type { EngineEvent } from './protocol';

export type StatusEvent = Extract<EngineEvent, { type: 'item:status' }>;

export function transitionOf(event: StatusEvent): Transition {
  const p = event.payload;
  const transition: Transition = { projectId: p.projectId, kind: p.kind, id: p.id, title: p.title, from: p.from, to: p.to, at: event.ts, seq: event.seq };
  if (event.foundOnStart) transition.foundOnStart = true;
  return transition;
}
