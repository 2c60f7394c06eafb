// "While you were away": what happened after a seq, most important first — failures, then
// stalls, then finishes, then starts — with counts per project. Pure, so the server builds
// it from the journal and tests read it like the feature.
import { DIGEST_KINDS, type Digest, type DigestEntry, type DigestKind } from './history';
import type { EngineEvent } from './protocol';

const RANK: Record<DigestKind, number> = { failed: 0, stalled: 1, finished: 2, started: 3 };
const STALLED_PREFIX = 'stalled:';

function whatFor(to: string): DigestKind | null {
  if (to === 'failed') return 'failed';
  if (to === 'done') return 'finished';
  if (to === 'in_progress') return 'started';
  return null;
}

/**
 * `events` oldest first. An item that moved several times counts once, by where it ended:
 * started then finished is a finish. A stall is a project whose health named it stalled.
 */
export function summarizeAway(
  events: readonly EngineEvent[],
  meta: { sinceSeq: number; throughSeq: number; truncated: boolean; /** When `sinceSeq` happened: stalls older than it are not news. */ sinceTs?: number },
): Digest {
  const latest = new Map<string, DigestEntry>();
  for (const event of events) {
    if (event.seq <= meta.sinceSeq) continue;
    if (event.type === 'item:status') {
      const t = event.payload;
      const key = `${t.projectId}\u0000${t.kind}\u0000${t.id}`;
      const what = whatFor(t.to);
      if (what === null) {
        latest.delete(key);
        continue;
      }
      const before = latest.get(key);
      latest.set(key, { what, seq: event.seq, at: event.ts, projectId: t.projectId, kind: t.kind, id: t.id, title: t.title, from: before?.from ?? t.from });
    } else if (event.type === 'health:changed') {
      for (const condition of event.payload.health.conditions) {
        if (!condition.key.startsWith(STALLED_PREFIX) || condition.projectId === null) continue;
        if (meta.sinceTs !== undefined && condition.since < meta.sinceTs) continue;
        const key = condition.key;
        if (latest.has(key)) continue;
        latest.set(key, { what: 'stalled', seq: event.seq, at: condition.since, projectId: condition.projectId, kind: null, id: null, title: condition.message, from: null });
      }
    }
  }
  const entries = [...latest.values()].sort((a, b) => RANK[a.what] - RANK[b.what] || b.seq - a.seq);
  const perProject = new Map<string, Record<DigestKind, number>>();
  for (const entry of entries) {
    const counts = perProject.get(entry.projectId) ?? { failed: 0, stalled: 0, finished: 0, started: 0 };
    counts[entry.what] += 1;
    perProject.set(entry.projectId, counts);
  }
  return {
    sinceSeq: meta.sinceSeq,
    throughSeq: meta.throughSeq,
    entries,
    perProject: [...perProject].map(([projectId, counts]) => ({ projectId, ...counts })).sort((a, b) => rankCounts(a) - rankCounts(b) || a.projectId.localeCompare(b.projectId)),
    truncated: meta.truncated,
  };
}

/** Projects with failures first, then stalls, and so on. */
function rankCounts(counts: Record<DigestKind, number>): number {
  const first = DIGEST_KINDS.findIndex((kind) => counts[kind] > 0);
  return first === -1 ? DIGEST_KINDS.length : first;
}
