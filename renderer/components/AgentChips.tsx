// The agents at work in a project, as small chips: who, and in which state.
import { useMemo } from 'react';
import { useLive } from '../app/context';
import { AGENT_STATE_WORDS, agentDisplayName, agentsOfProject } from '../store/selectors';

export function ProjectAgents({ projectId }: { projectId: string }) {
  const agents = useLive((s) => s.agents);
  const sessions = useMemo(() => agentsOfProject(agents, projectId), [agents, projectId]);
  if (sessions.length === 0) return null;
  return (
    <div className="agent-chips" data-testid="project-agents">
      {sessions.map((s) => (
        <span key={s.id} className={`agent-chip agent-${s.state}`} title={s.message ?? s.cwd} data-testid="agent-chip" data-state={s.state}>
          {agentDisplayName(s.agent)} · {AGENT_STATE_WORDS[s.state]}
        </span>
      ))}
    </div>
  );
}

/** The agents on one plan or work order, from a string the row selects (see agentsOnItem). */
export function ItemAgents({ label }: { label: string | null }) {
  if (!label) return null;
  return (
    <span className="agent-chip agent-on-item" data-testid="item-agents">
      {label}
    </span>
  );
}
