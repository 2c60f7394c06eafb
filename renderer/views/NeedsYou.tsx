// "Needs you": above every tab, the agent sessions waiting for their user — a permission
// prompt, a question — the longest-waiting first, with the project, the agent, what it asked
// and for how long. Empty, it takes no room.
import { useMemo } from 'react';
import { useLive } from '../app/context';
import { Since } from '../components/Age';
import { agentDisplayName, selectWaiting } from '../store/selectors';

export function NeedsYou() {
  const agents = useLive((s) => s.agents);
  const projects = useLive((s) => s.projects);
  const skew = useLive((s) => s.clockSkewMs);
  const waiting = useMemo(() => selectWaiting(agents), [agents]);
  if (waiting.length === 0) return null;
  return (
    <section className="needs-you" aria-label="Agents waiting for you" data-testid="needs-you">
      <h2 className="needs-you-title">
        Needs you <span className="needs-you-count">{waiting.length}</span>
      </h2>
      <ul className="needs-you-list">
        {waiting.map((session) => {
          const where = session.projectId ? (projects[session.projectId]?.name ?? session.projectId) : (session.cwd.split(/[\\/]/).pop() ?? session.cwd);
          return (
            <li key={session.id} className="needs-you-item" data-testid="needs-you-item" data-session={session.id}>
              <span className="needs-you-project" title={session.cwd}>
                {where}
              </span>
              <span className="needs-you-agent">{agentDisplayName(session.agent)}</span>
              <span className="needs-you-message" title={session.message}>
                {session.message ?? 'waiting for your input'}
              </span>
              <span className="needs-you-age muted small">
                waiting <Since at={session.since - skew} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
