// Activity before what the live feed holds: pages of `item:status` events from the journal,
// newest first, joined under the feed by seq so nothing shows twice.
import type { EngineEvent } from '../../shared/protocol';
import { activityEntryOf, type ActivityEntry } from '../store/live-model';

export interface OlderPage {
  /** Oldest first, like the live feed. */
  entries: ActivityEntry[];
  nextBeforeSeq: number | null;
}

/** Where paging back starts: below the oldest transition the feed holds, or below everything. */
export function pagingStart(activity: readonly ActivityEntry[], lastSeq: number): number {
  let lowest = lastSeq + 1;
  for (const entry of activity) if (entry.seq !== null && entry.seq < lowest) lowest = entry.seq;
  return lowest;
}

/** A page of events as feed entries, oldest first; only transitions below `below` (the feed has the rest). */
export function toEntries(events: readonly EngineEvent[], below: number): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as EngineEvent;
    if (event.type !== 'item:status' || event.seq >= below) continue;
    out.push(activityEntryOf(event));
  }
  return out;
}
