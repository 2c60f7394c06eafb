// The Overview's charts over the journal: a project's burn-up (done against total over the last
// 24 hours) and items finished and failed per day for the last two weeks.
import { useMemo, useState } from 'react';
import uPlot from 'uplot';
import { useLive } from '../app/context';
import { Chart } from '../components/Chart';
import { useHistory } from '../history/use-history';

const DAY_MS = 24 * 60 * 60 * 1000;

const BURNUP_OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
  scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
  series: [
    {},
    { label: 'Total', stroke: '#6b7280', width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) },
    { label: 'Done', stroke: '#2e9d5b', fill: 'rgba(46, 157, 91, 0.15)', width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) },
  ],
  axes: [{}, { label: 'items' }],
  legend: { live: false },
};

const THROUGHPUT_OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
  scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
  series: [
    {},
    { label: 'Finished', stroke: '#2e9d5b', fill: 'rgba(46, 157, 91, 0.6)', paths: uPlot.paths.bars?.({ size: [0.4, 40], align: -1 }) },
    { label: 'Failed', stroke: '#d0453a', fill: 'rgba(208, 69, 58, 0.6)', paths: uPlot.paths.bars?.({ size: [0.4, 40], align: 1 }) },
  ],
  axes: [{}, { label: 'items' }],
  legend: { live: false },
};

export function BurnupCard() {
  const projects = useLive((s) => s.projects);
  const ids = useMemo(() => Object.values(projects).sort((a, b) => b.progress.total - a.progress.total || a.name.localeCompare(b.name)), [projects]);
  const [chosen, setChosen] = useState<string | null>(null);
  const projectId = chosen && projects[chosen] ? chosen : (ids[0]?.id ?? null);
  const progress = projectId ? projects[projectId]?.progress : undefined;
  // The hour the chart ends in: asking again as time passes moves the window.
  const [since] = useState(() => Date.now() - DAY_MS);
  const answer = useHistory('history:burnup', projectId ? { projectId, since } : { since }, `${progress?.done}/${progress?.total}`);
  const series = listOf(answer.data?.series).find((s) => s.projectId === projectId);
  const data = useMemo<uPlot.AlignedData>(() => {
    const points = series?.points ?? [];
    return [points.map((p) => p.ts / 1000), points.map((p) => p.total), points.map((p) => p.done)];
  }, [series]);
  return (
    <section className="card burnup" data-testid="burnup">
      <div className="card-head">
        <h2>Burn-up, last 24 h</h2>
        {ids.length > 1 && (
          <select className="select" aria-label="Project" value={projectId ?? ''} onChange={(e) => setChosen(e.target.value)} data-testid="burnup-project">
            {ids.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {answer.error && !answer.data ? (
        <p className="muted" data-testid="burnup-unavailable">
          {answer.error}
        </p>
      ) : !projectId ? (
        <p className="muted">No project yet.</p>
      ) : (
        <Chart options={BURNUP_OPTIONS} data={data} label={`Done and total items of ${projects[projectId]?.name ?? 'the project'} over the last 24 hours`} testId="burnup-chart" />
      )}
    </section>
  );
}

export function DailyThroughputCard() {
  const throughput = useLive((s) => s.throughput);
  const [query] = useState(() => ({ bucket: 'day' as const, since: startOfLocalDay(Date.now()) - 13 * DAY_MS, utcOffsetMinutes: -new Date().getTimezoneOffset() }));
  const answer = useHistory('history:throughput', query, `${throughput?.finishedLastHour}/${throughput?.failedLastHour}`);
  const data = useMemo<uPlot.AlignedData>(() => {
    const buckets = listOf(answer.data?.buckets);
    return [buckets.map((b) => b.start / 1000), buckets.map((b) => b.finished), buckets.map((b) => b.failed)];
  }, [answer.data]);
  const total = listOf(answer.data?.buckets).reduce((n, b) => n + b.finished, 0);
  return (
    <section className="card throughput-days" data-testid="throughput-days">
      <div className="card-head">
        <h2>Finished per day</h2>
        <span className="muted small">{total} in 14 days</span>
      </div>
      {answer.error && !answer.data ? (
        <p className="muted">{answer.error}</p>
      ) : (
        <Chart options={THROUGHPUT_OPTIONS} data={data} label="Items finished and failed per day over the last 14 days" testId="throughput-chart" />
      )}
    </section>
  );
}

/** A list from a reply, or none when the reply did not hold one (an older or a different server). */
function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function startOfLocalDay(at: number): number {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
