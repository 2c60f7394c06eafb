// The "while you were away" panel: shown when this page comes back after more than ten
// minutes (opened again, or its tab shown again), listing what failed, stalled, finished and
// started since the last seq it saw, with counts per project. Dismissing it marks all seen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Digest, DigestEntry } from '../../shared/history';
import { useLive, useServices } from '../app/context';
import { formatDuration } from '../app/format';
import { Age } from '../components/Age';
import { awaySince, localLastSeen, type LastSeenStore } from '../store/away';

const SHOWN = 40;

interface Shown {
  digest: Digest;
  awayMs: number;
}

export function AwayPanel({ store: given, now = Date.now }: { store?: LastSeenStore; now?: () => number }) {
  const { sync, transport, store: live } = useServices();
  const loaded = useLive((s) => s.loaded);
  const lastSeq = useLive((s) => s.lastSeq);
  const projects = useLive((s) => s.projects);
  const [store] = useState(() => given ?? localLastSeen(transport.endpoint));
  const [shown, setShown] = useState<Shown | null>(null);
  /** What was stored when this page (or this visit of the tab) began: read before it is overwritten. */
  const checked = useRef(false);

  const check = useCallback(() => {
    const before = store.read();
    const current = live.getState().lastSeq;
    const since = awaySince(before, now(), current);
    store.write({ seq: current, at: now() });
    if (since === null || !before) return;
    const awayMs = now() - before.at;
    void sync.request('history:digest', { sinceSeq: since }).then((reply) => {
      if (reply.ok && Array.isArray(reply.data.entries) && reply.data.entries.length > 0) {
        setShown({ digest: { ...reply.data, perProject: Array.isArray(reply.data.perProject) ? reply.data.perProject : [] }, awayMs });
      }
    });
  }, [store, live, sync, now]);

  // Coming back by opening the page: once the first hello has told us where the server is.
  useEffect(() => {
    if (!loaded || checked.current) return;
    checked.current = true;
    check();
  }, [loaded, check]);

  // While the page is in view, what it has seen moves on with it.
  useEffect(() => {
    if (!loaded || !checked.current || document.visibilityState !== 'visible') return;
    store.write({ seq: lastSeq, at: now() });
  }, [loaded, lastSeq, store, now]);

  // Coming back to a tab (or a window) that stayed open but hidden.
  useEffect(() => {
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible' && checked.current) check();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [check]);

  if (!shown) return null;
  const { digest, awayMs } = shown;
  const name = (projectId: string): string => projects[projectId]?.name ?? projectId;
  const dismiss = (): void => {
    store.write({ seq: live.getState().lastSeq, at: now() });
    setShown(null);
  };
  return (
    <section className="away-panel" role="region" aria-label="While you were away" data-testid="away-panel">
      <header>
        <h2>While you were away ({formatDuration(awayMs)})</h2>
        <button type="button" onClick={dismiss} data-testid="away-dismiss">
          Dismiss
        </button>
      </header>
      <div className="away-counts" data-testid="away-counts">
        {digest.perProject.map((p) => (
          <span key={p.projectId} data-testid="away-project" data-project={p.projectId}>
            <strong>{name(p.projectId)}</strong>: {summary(p)}
          </span>
        ))}
      </div>
      <ul>
        {digest.entries.slice(0, SHOWN).map((entry) => (
          <AwayLine key={`${entry.what}:${entry.projectId}:${entry.id ?? entry.seq}`} entry={entry} project={name(entry.projectId)} />
        ))}
      </ul>
      {digest.entries.length > SHOWN && <p className="muted small">and {digest.entries.length - SHOWN} more in Activity</p>}
      {digest.truncated && <p className="muted small">More happened than this lists; Activity has all of it.</p>}
    </section>
  );
}

function AwayLine({ entry, project }: { entry: DigestEntry; project: string }) {
  return (
    <li data-testid="away-entry" data-what={entry.what} data-id={entry.id ?? ''}>
      <span className={`away-what ${entry.what}`}>{entry.what}</span>
      <span className="away-title">{entry.title}</span>
      <span className="muted small">
        {project} · <Age at={entry.at} />
      </span>
    </li>
  );
}

function summary(counts: Digest['perProject'][number]): string {
  const parts: string[] = [];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.stalled) parts.push(`${counts.stalled} stalled`);
  if (counts.finished) parts.push(`${counts.finished} finished`);
  if (counts.started) parts.push(`${counts.started} started`);
  return parts.join(', ');
}
