// Every watched project: what Vigil found in it, how it is watched, and controls to pause or
// remove it.
import { useEffect, useMemo, useState } from 'react';
import type { Project } from '../../shared/model';
import { useLive, useServices } from '../app/context';
import { count } from '../app/words';
import { Age } from '../components/Age';
import { ProjectAgents } from '../components/AgentChips';
import { ProjectHooksControl } from '../components/ProjectHooksControl';
import { ControlButton } from '../components/ControlButton';
import { RunMenu } from '../components/RunMenu';
import { BatchDialog } from './BatchDialog';
import { ProjectActionsTrust } from './ProjectActionsTrust';
import { EmptyState } from '../components/EmptyState';
import { ProgressBar } from '../components/ProgressBar';
import { SourceChip } from '../components/SourceChip';
import { useCommand } from '../components/use-command';
import { issueCountsByProject, planCountsByProject, selectProjectList } from '../store/selectors';
import { AddFolderForm, useAddProject, useFolderDrop } from './AddFolder';

const STATE_LABELS: Record<Project['state'], string> = { ok: 'Watching', missing: 'Folder missing', degraded: 'Degraded', paused: 'Paused' };

function ProjectRow({ id, counts, issues }: { id: string; counts: { total: number; done: number; active: number; failed: number } | undefined; issues: number }) {
  const project = useLive((s) => s.projects[id]);
  const desktop = useServices().transport.desktop;
  const command = useCommand();
  const [confirming, setConfirming] = useState(false);
  const [batchOpen, setBatchOpen] = useState(false);
  useEffect(() => {
    if (!confirming) return;
    const t = setTimeout(() => setConfirming(false), 4000);
    return () => clearTimeout(t);
  }, [confirming]);
  if (!project) return null;
  const paused = project.state === 'paused';
  return (
    <li className={`project-row state-${project.state}`} data-testid="project-row" data-id={project.id} data-state={project.state}>
      <div className="project-main">
        <div className="project-name">
          {project.name}
          <span className={`state-pill state-${project.state}`}>{STATE_LABELS[project.state]}</span>
        </div>
        <div className="project-root mono muted" title={project.root}>
          {project.root}
        </div>
        <div className="project-sources">
          {project.sources.length === 0 ? <span className="muted small">no planning files found yet</span> : project.sources.map((s) => <SourceChip key={s} source={s} />)}
        </div>
        <ProjectAgents projectId={project.id} />
        {desktop && <ProjectHooksControl desktop={desktop} projectId={project.id} />}
      </div>
      <div className="project-progress">
        <ProgressBar progress={project.progress} />
        <div className="muted small">
          {counts ? `${counts.active} active · ${counts.failed} blocked or failed · ${count(counts.total, 'plan')}` : 'no plans yet'}
          {issues > 0 && <span className="text-warning"> · {count(issues, 'parse issue')}</span>}
        </div>
        {project.reported
          .filter((r) => r.percent !== null || r.status)
          .map((r) => (
            <div key={`${r.source}:${r.path}`} className="muted small" title={`What ${r.path} says about itself; the bar above is measured from the files`} data-testid="reported">
              {r.path} reports {[r.percent !== null ? `${Math.round(r.percent)}%` : null, r.status].filter(Boolean).join(', ')}
            </div>
          ))}
      </div>
      <div className="project-watch small">
        <div data-testid="watch-backend">
          {project.watch.backend === 'none' ? 'not watched' : `${project.watch.backend} watcher`} · {count(project.watch.watchedDirs, 'folder')}
        </div>
        <div className="muted">
          last change <Age at={project.watch.lastEventAt} />
        </div>
        {project.watch.errors.length > 0 && (
          <div className="text-warning" title={project.watch.errors.join('\n')}>
            {project.watch.errors[0]}
          </div>
        )}
      </div>
      <div className="project-actions">
        <RunMenu target={{ projectId: id, title: project.name }} />
        <ControlButton data-testid="open-batch" title="Run an action on several items of this project" onClick={() => setBatchOpen(true)}>
          Batch…
        </ControlButton>
        {batchOpen && <BatchDialog projectId={id} onClose={() => setBatchOpen(false)} />}
        <ProjectActionsTrust projectId={id} />
        <ControlButton data-testid="pause-project" onClick={() => void command('project:pause', { projectId: id, paused: !paused })}>
          {paused ? 'Resume' : 'Pause'}
        </ControlButton>
        <ControlButton
          className={confirming ? 'danger' : undefined}
          data-testid="remove-project"
          title="Stop watching this folder (its files are not touched)"
          onClick={() => {
            if (!confirming) return setConfirming(true);
            setConfirming(false);
            void command('project:remove', { projectId: id }, `Stopped watching ${project.name}`);
          }}
        >
          {confirming ? 'Click again to remove' : 'Remove'}
        </ControlButton>
      </div>
    </li>
  );
}

export function Projects() {
  const projects = useLive((s) => s.projects);
  const plans = useLive((s) => s.plans);
  const issues = useLive((s) => s.issues);
  const list = useMemo(() => selectProjectList(projects), [projects]);
  const counts = useMemo(() => planCountsByProject(plans), [plans]);
  const issueCounts = useMemo(() => issueCountsByProject(issues), [issues]);
  const addProject = useAddProject();
  const drop = useFolderDrop((path) => void addProject(path));
  return (
    <div className={drop.over ? 'view projects drop-target' : 'view projects'} data-testid="view-projects" {...drop.handlers}>
      <div className="toolbar">
        <AddFolderForm compact />
        {drop.handlers.onDrop && <span className="muted small">or drop folders here</span>}
      </div>
      {list.length === 0 ? (
        <EmptyState title="No projects yet">Add a folder that holds planning files (.planning/, specs/, coderef/, backlog/ …).</EmptyState>
      ) : (
        <ul className="project-list">
          {list.map((p) => (
            <ProjectRow key={p.id} id={p.id} counts={counts[p.id]} issues={issueCounts[p.id] ?? 0} />
          ))}
        </ul>
      )}
    </div>
  );
}
