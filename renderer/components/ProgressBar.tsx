import type { Progress } from '../../shared/model';
import { percent } from '../app/format';

export function ProgressBar({ progress, compact = false }: { progress: Progress; compact?: boolean }) {
  const pct = percent(progress.done, progress.total);
  return (
    <span className={compact ? 'progress compact' : 'progress'} data-testid="progress" data-done={progress.done} data-total={progress.total}>
      <span className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span className={`progress-fill${pct === 100 ? ' complete' : ''}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="progress-label">
        {progress.total > 0 ? `${progress.done}/${progress.total}` : '—'}
      </span>
    </span>
  );
}
