import type { Progress } from '../../shared/model';
import { percent } from '../app/format';

/** A thin bar and done/total; a screen reader hears "Progress, 2 of 5 done". */
export function ProgressBar({ progress, compact = false, label = 'Progress' }: { progress: Progress; compact?: boolean; label?: string }) {
  const pct = percent(progress.done, progress.total);
  return (
    <span className={compact ? 'progress compact' : 'progress'} data-testid="progress" data-done={progress.done} data-total={progress.total}>
      <span
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={progress.total > 0 ? `${progress.done} of ${progress.total} done` : 'nothing to count'}
      >
        <span className={`progress-fill${pct === 100 ? ' complete' : ''}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="progress-label" aria-hidden="true">
        {progress.total > 0 ? `${progress.done}/${progress.total}` : '—'}
      </span>
    </span>
  );
}
