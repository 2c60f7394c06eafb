// An item's runs, for its detail view: the Run button, then every run of it, newest first —
// the ones seen live and the older ones from the history (runs:list, kept across restarts).
import { useEffect, useMemo } from 'react';
import { useLive, useServices } from '../../app/context';
import { RunMenu } from '../../components/RunMenu';
import { mergeRuns } from '../../store/live-model';
import { runsOfItem } from '../../store/runs';
import { RunRow } from '../RunRow';

export function ItemRuns({ projectId, itemId, title }: { projectId: string; itemId: string; title: string }) {
  const { sync, store } = useServices();
  const runs = useLive((s) => s.runs);
  const mine = useMemo(() => runsOfItem(runs, projectId, itemId), [runs, projectId, itemId]);
  useEffect(() => {
    let current = true;
    void sync.request('runs:list', { projectId, itemId, limit: 50 }).then((reply) => {
      if (current && reply.ok) store.setState((s) => mergeRuns(s, reply.data.runs));
    });
    return () => {
      current = false;
    };
  }, [sync, store, projectId, itemId]);
  return (
    <div className="item-runs" data-testid="item-runs">
      <div className="section-head">
        <RunMenu target={{ projectId, itemId, title }} />
      </div>
      {mine.length === 0 ? (
        <p className="muted small" data-testid="item-runs-empty">
          No run yet. The Run button starts an action on this item.
        </p>
      ) : (
        mine.map((run) => <RunRow key={run.id} runId={run.id} showProject={false} />)
      )}
    </div>
  );
}
