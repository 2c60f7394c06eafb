// The first screen: is everything all right, is the engine alive, what is moving.
import { useMemo } from 'react';
import type { HealthCondition } from '../../shared/model';
import { STATUSES } from '../app/statuses';
import { useLive } from '../app/context';
import { formatDuration, formatMs, STATUS_LABELS } from '../app/format';
import { Age, Since } from '../components/Age';
import { Sparkline } from '../components/Sparkline';
import { countByStatus } from '../store/selectors';
import { ActivityLine } from './ActivityLine';
import { BurnupCard, DailyThroughputCard } from './HistoryCharts';

function HealthCard() {
  const health = useLive((s) => s.health);
  const projects = useLive((s) => s.projects);
  if (!health) return null;
  return (
    <section className={`card health health-${health.level}`} data-testid="health">
      <h2>Health</h2>
      <div className="health-level" data-testid="health-level" data-level={health.level}>
        <span className="health-dot" aria-hidden="true" />
        {health.level === 'ok' ? 'All good' : health.level === 'warning' ? 'Needs attention' : 'Critical'}
        <span className="muted small health-since">
          <Since at={health.since} />
        </span>
      </div>
      {health.conditions.length === 0 ? (
        <p className="muted">No conditions: every project is watched and nothing is stuck.</p>
      ) : (
        <ul className="conditions" data-testid="health-conditions">
          {health.conditions.map((c: HealthCondition) => (
            <li key={c.key} className={`condition condition-${c.level}`}>
              <div>
                <strong>{c.message}</strong>
                {c.projectId && projects[c.projectId] && <span className="muted"> · {projects[c.projectId]!.name}</span>}
              </div>
              {c.hint && <div className="muted small">{c.hint}</div>}
              <div className="muted small">
                <Since at={c.since} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HeartbeatCard() {
  const beats = useLive((s) => s.heartbeats);
  const running = useLive((s) => s.running);
  const last = beats[beats.length - 1];
  const latencies = useMemo(() => beats.map((b) => b.latencyMs), [beats]);
  const maxLatency = latencies.length > 0 ? Math.max(...latencies) : null;
  return (
    <section className="card heartbeat" data-testid="heartbeat">
      <h2>Heartbeat</h2>
      <div className="heartbeat-row">
        <span key={last?.tick} className={running ? 'pulse running' : 'pulse'} aria-hidden="true" />
        <span className="big-number" data-testid="heartbeat-tick">
          {last ? `#${last.tick}` : '—'}
        </span>
        <span className="muted">{running ? 'engine running' : 'engine stopped'}</span>
      </div>
      <Sparkline values={latencies} label="Tick latency, last 120 ticks" width={280} height={44} />
      <dl className="facts">
        <div>
          <dt>Latency</dt>
          <dd>{formatMs(last?.latencyMs)}</dd>
        </div>
        <div>
          <dt>Max (120)</dt>
          <dd>{formatMs(maxLatency)}</dd>
        </div>
        <div>
          <dt>Drift</dt>
          <dd>{formatMs(last?.driftMs)}</dd>
        </div>
        <div>
          <dt>Last beat</dt>
          <dd>
            <Age at={last?.ts ?? null} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ThroughputCard() {
  const t = useLive((s) => s.throughput);
  return (
    <section className="card" data-testid="throughput">
      <h2>Throughput</h2>
      <dl className="facts wide">
        <div>
          <dt>Finished, last hour</dt>
          <dd className="big-number">{t?.finishedLastHour ?? 0}</dd>
        </div>
        <div>
          <dt>Failed, last hour</dt>
          <dd className={`big-number${t && t.failedLastHour > 0 ? ' text-failed' : ''}`}>{t?.failedLastHour ?? 0}</dd>
        </div>
        <div>
          <dt>Mean cycle</dt>
          <dd className="big-number">{t?.meanCycleMs != null ? formatDuration(t.meanCycleMs) : '—'}</dd>
        </div>
      </dl>
    </section>
  );
}

function CountsCard() {
  const plans = useLive((s) => s.plans);
  const stubs = useLive((s) => s.stubs.size);
  const workorders = useLive((s) => s.workorders.size);
  const projects = useLive((s) => Object.keys(s.projects).length);
  const counts = useMemo(() => countByStatus(plans.values()), [plans]);
  const total = plans.size;
  return (
    <section className="card counts" data-testid="counts">
      <h2>Plans by status</h2>
      <div className="stacked-bar" aria-hidden="true">
        {STATUSES.filter((s) => counts[s] > 0).map((s) => (
          <span key={s} className={`bar-${s}`} style={{ flexGrow: counts[s] }} title={`${STATUS_LABELS[s]}: ${counts[s]}`} />
        ))}
      </div>
      <ul className="status-counts">
        {STATUSES.filter((s) => counts[s] > 0 || ['todo', 'in_progress', 'done'].includes(s)).map((s) => (
          <li key={s} data-testid={`count-${s}`} data-count={counts[s]}>
            <span className={`swatch bar-${s}`} aria-hidden="true" />
            {STATUS_LABELS[s]}
            <span className="count">{counts[s]}</span>
          </li>
        ))}
      </ul>
      <p className="muted small totals" data-testid="totals">
        {projects} projects · {total} plans · {stubs} stubs · {workorders} work orders
      </p>
    </section>
  );
}

function RecentActivityCard() {
  const activity = useLive((s) => s.activity);
  const recent = useMemo(() => activity.slice(-8).reverse(), [activity]);
  return (
    <section className="card recent" data-testid="recent-activity">
      <h2>Recent activity</h2>
      {recent.length === 0 ? (
        <p className="muted">Nothing has changed status yet. Transitions appear here as agents work.</p>
      ) : (
        <ul className="activity-compact">
          {recent.map((entry) => (
            <li key={entry.key}>
              <ActivityLine entry={entry} compact />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Overview() {
  return (
    <div className="overview" data-testid="view-overview">
      <HealthCard />
      <HeartbeatCard />
      <CountsCard />
      <ThroughputCard />
      <BurnupCard />
      <DailyThroughputCard />
      <RecentActivityCard />
    </div>
  );
}
