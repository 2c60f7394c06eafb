// Every file Vigil could not fully read, with what was wrong (and where), and a way to the items
// the file describes. Opened from "N files with issues" in the header.
import { useMemo } from 'react';
import type { ProjectIssue } from '../../shared/model';
import { useLive } from '../app/context';
import { count, itemNoun } from '../app/words';
import { EmptyState } from '../components/EmptyState';
import type { AppState } from '../store/app-store';
import type { ItemRef } from '../store/item-detail';
import { selectProjectList } from '../store/selectors';
import { openItem } from './ItemRow';

interface IssueFile {
  projectId: string;
  path: string;
  issues: ProjectIssue[];
  /** The items this file describes, to open from here. */
  items: (ItemRef & { title: string })[];
}

function issueFiles(state: Pick<AppState, 'issues' | 'plans' | 'stubs' | 'workorders'>): IssueFile[] {
  const files: IssueFile[] = [];
  for (const list of state.issues.values()) {
    const first = list[0];
    if (first) files.push({ projectId: first.projectId, path: first.path, issues: list, items: [] });
  }
  const byFile = new Map(files.map((f) => [`${f.projectId}/${f.path}`, f]));
  const collect = (kind: ItemRef['kind'], items: Iterable<{ projectId: string; id: string; path: string; title: string }>) => {
    for (const item of items) byFile.get(`${item.projectId}/${item.path}`)?.items.push({ kind, projectId: item.projectId, id: item.id, title: item.title });
  };
  collect('plan', state.plans.values());
  collect('stub', state.stubs.values());
  collect('workorder', state.workorders.values());
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export function Issues() {
  const issues = useLive((s) => s.issues);
  const plans = useLive((s) => s.plans);
  const stubs = useLive((s) => s.stubs);
  const workorders = useLive((s) => s.workorders);
  const projects = useLive((s) => s.projects);
  const files = useMemo(() => issueFiles({ issues, plans, stubs, workorders }), [issues, plans, stubs, workorders]);
  const byProject = selectProjectList(projects)
    .map((project) => ({ project, files: files.filter((f) => f.projectId === project.id) }))
    .filter((group) => group.files.length > 0);
  return (
    <div className="view issues-view" data-testid="view-issues">
      <h1 className="view-title">{count(files.length, 'file with issues')}</h1>
      <p className="muted">
        Vigil keeps the last good reading of each of these files and shows what it could not understand. Fix the file and the issue goes away by itself.
      </p>
      {files.length === 0 ? (
        <EmptyState title="No file has issues">Every planning file was read without trouble.</EmptyState>
      ) : (
        byProject.map(({ project, files: list }) => (
          <section key={project.id} className="card issue-project" aria-labelledby={`issues-${project.id}`}>
            <h2 id={`issues-${project.id}`}>{project.name}</h2>
            <ul className="plain-list">
              {list.map((file) => (
                <li key={file.path} className="issue-file" data-testid="issue-file" data-path={file.path}>
                  <code className="mono">{file.path}</code>
                  <ul className="plain-list issue-list">
                    {file.issues.map((issue, i) => (
                      <li key={i}>
                        <span className="mono muted">{issue.line !== null ? `line ${issue.line}` : 'file'}</span> {issue.message}
                      </li>
                    ))}
                  </ul>
                  {file.items.length > 0 && (
                    <div className="issue-items">
                      {file.items.map((item) => (
                        <button key={`${item.kind}:${item.id}`} type="button" className="link-button" data-testid="issue-item-link" onClick={() => openItem(item)}>
                          Open {itemNoun(item.kind, item.id)} “{item.title}”
                        </button>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
