// The first screen: is everything all right, is the engine alive, what is moving and what is
// waiting, how far each project is, what just happened. The cards are a list: a new one (charts
// from history, "while you were away", what needs you) is one more entry in OVERVIEW_CARDS.
import { useMemo, type ComponentType } from 'react';
import type { HealthCondition, Plan, Status } from '../../shared/model';
import { useLive } from '../app/context';
import { formatDuration, formatMs, STATUS_LABELS } from '../app/format';
import { STATUSES } from '../app/statuses';
import { useUi } from '../app/ui-store';
import { CONTAINER_KINDS, count, PLAN_KIND_LABELS } from '../app/words';
import { Age, Since } from '../components/Age';
import { ProgressBar } from '../components/ProgressBar';
import { Sparkline } from '../components/Sparkline';
import { StatusBadge } from '../components/StatusBadge';
import { countByStatus, selectProjectList } from '../store/selectors';
import { ActivityLine } from './ActivityLine';
import { BurnupCard, DailyThroughputCard } from './HistoryCharts';
import { openItem } from './ItemRow';

function HealthCard() {
  const health = useLive((s) => s.health);
  const projects = useLive((s) => s.projects);
  const connected = useLive((s) => s.connection.status === 'connected');
  const receivedAt = useLive((s) => s.receivedAt);
  if (!health) return null;
  const word = health.level === 'ok' ? 'All good' : health.level === 'warning' ? 'Needs attention' : 'Critical';
  if (!connected) {
    // What the server last said may no longer be true: say that we do not know.
    return (
      <section className="card health health-unknown" data-testid="health" aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        <div className="health-level" data-testid="health-level" data-level="unknown">
          <span className="health-dot" aria-hidden="true" />
          Unknown while disconnected
        </div>
        <p className="muted">
          Last known: {word.toLowerCase()}, <Age at={receivedAt} />. It is checked again as soon as the connection is back.
        </p>
      </section>
    );
  }
  return (
    <section className={`card health health-${health.level}`} data-testid="health" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <div className="health-level" data-testid="health-level" data-level={health.level}>
        <span className="health-dot" aria-hidden="true" />
        {word}
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
    <section className="card heartbeat" data-testid="heartbeat" aria-labelledby="heartbeat-title">
      <h2 id="heartbeat-title">Heartbeat</h2>
      <div className="heartbeat-row">
        <span key={last?.tick} className={running ? 'pulse running' : 'pulse'} aria-hidden="true" />
        <span className="big-number" data-testid="heartbeat-tick">
          {last ? `tick ${last.tick.toLocaleString('en')}` : '—'}
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
          <dt>Slowest of 120</dt>
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
    <section className="card" data-testid="throughput" aria-labelledby="throughput-title">
      <h2 id="throughput-title">Throughput</h2>
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

const isContainer = (plan: Plan): boolean => CONTAINER_KINDS.includes(plan.kind);

function CountsCard() {
  const plans = useLive((s) => s.plans);
  const stubs = useLive((s) => s.stubs.size);
  const workorders = useLive((s) => s.workorders.size);
  const projects = useLive((s) => Object.keys(s.projects).length);
  // Phases and epics hold plans: counted as what they are, not as more plans.
  const { counts, leaves, containers } = useMemo(() => {
    const leafPlans: Plan[] = [];
    const byKind = new Map<Plan['kind'], number>();
    for (const plan of plans.values()) {
      if (isContainer(plan)) byKind.set(plan.kind, (byKind.get(plan.kind) ?? 0) + 1);
      else leafPlans.push(plan);
    }
    return { counts: countByStatus(leafPlans), leaves: leafPlans.length, containers: [...byKind.entries()].sort() };
  }, [plans]);
  return (
    <section className="card counts" data-testid="counts" aria-labelledby="counts-title">
      <h2 id="counts-title">Plans by status</h2>
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
        {[
          count(projects, 'project'),
          ...containers.map(([kind, n]) => count(n, PLAN_KIND_LABELS[kind])),
          count(leaves, 'plan'),
          count(stubs, 'stub'),
          count(workorders, 'work order'),
        ].join(' · ')}
      </p>
    </section>
  );
}

const MOVING: readonly Status[] = ['in_progress', 'review'];
const WAITING: readonly Status[] = ['blocked', 'failed'];
const IN_FLIGHT_SHOWN = 8;

function InFlightList({ title, plans, empty, testId }: { title: string; plans: Plan[]; empty: string; testId: string }) {
  const projects = useLive((s) => s.projects);
  return (
    <div className="in-flight" data-testid={testId}>
      <h3>
        {title} <span className="muted">{plans.length}</span>
      </h3>
      {plans.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="plain-list">
          {plans.slice(0, IN_FLIGHT_SHOWN).map((plan) => (
            <li key={`${plan.projectId}/${plan.id}`}>
              <button type="button" className="link-button in-flight-item" onClick={() => openItem({ kind: 'plan', projectId: plan.projectId, id: plan.id })}>
                <StatusBadge status={plan.status} />
                <span className="in-flight-title">{plan.title}</span>
                <span className="muted small">
                  {PLAN_KIND_LABELS[plan.kind]} · {projects[plan.projectId]?.name}
                </span>
              </button>
            </li>
          ))}
          {plans.length > IN_FLIGHT_SHOWN && <li className="muted small">and {plans.length - IN_FLIGHT_SHOWN} more in the Plans tab</li>}
        </ul>
      )}
    </div>
  );
}

function InFlightCard() {
  const plans = useLive((s) => s.plans);
  const { moving, waiting } = useMemo(() => {
    const newest = (a: Plan, b: Plan) => b.updatedAt - a.updatedAt;
    const all = [...plans.values()].filter((p) => !isContainer(p));
    return { moving: all.filter((p) => MOVING.includes(p.status)).sort(newest), waiting: all.filter((p) => WAITING.includes(p.status)).sort(newest) };
  }, [plans]);
  return (
    <section className="card" data-testid="in-flight" aria-labelledby="in-flight-title">
      <h2 id="in-flight-title">In flight</h2>
      <div className="in-flight-columns">
        <InFlightList title="Moving" plans={moving} empty="Nothing is in progress or in review." testId="in-flight-moving" />
        <InFlightList title="Blocked or failed" plans={waiting} empty="Nothing is blocked or failed." testId="in-flight-waiting" />
      </div>
    </section>
  );
}

function ProjectsCard() {
  const projects = useLive((s) => s.projects);
  const setTab = useUi((s) => s.setTab);
  const list = useMemo(() => selectProjectList(projects), [projects]);
  return (
    <section className="card" data-testid="project-progress" aria-labelledby="project-progress-title">
      <h2 id="project-progress-title">Projects</h2>
      <ul className="plain-list project-bars">
        {list.map((p) => (
          <li key={p.id} data-testid="project-bar" data-id={p.id}>
            <span className="project-bar-name" title={p.root}>
              {p.name}
              {p.state !== 'ok' && <span className={`state-pill state-${p.state}`}>{p.state}</span>}
            </span>
            <ProgressBar progress={p.progress} />
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={() => setTab('projects')}>
        Manage projects
      </button>
    </section>
  );
}

function RecentActivityCard() {
  const activity = useLive((s) => s.activity);
  const recent = useMemo(() => activity.slice(-8).reverse(), [activity]);
  return (
    <section className="card recent" data-testid="recent-activity" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent activity</h2>
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

export interface OverviewCard {
  id: string;
  /** How wide it is on a wide screen: a third of the grid (default), two thirds, or all of it. */
  width?: 'third' | 'two-thirds' | 'full';
  Card: ComponentType;
}

export const OVERVIEW_CARDS: readonly OverviewCard[] = [
  { id: 'health', Card: HealthCard },
  { id: 'heartbeat', Card: HeartbeatCard },
  { id: 'throughput', Card: ThroughputCard },
  { id: 'counts', Card: CountsCard },
  { id: 'in-flight', width: 'two-thirds', Card: InFlightCard },
  { id: 'projects', Card: ProjectsCard },
  { id: 'recent', width: 'two-thirds', Card: RecentActivityCard },
  { id: 'burnup', Card: BurnupCard },
  { id: 'finished-per-day', Card: DailyThroughputCard },
];

export function Overview() {
  return (
    <div className="overview" data-testid="view-overview">
      {OVERVIEW_CARDS.map(({ id, width = 'third', Card }) => (
        <div key={id} className={`overview-slot ${width}`}>
          <Card />
        </div>
      ))}
    </div>
  );
}
