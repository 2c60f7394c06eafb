// `vigil scan <folder…> [--json]`: read folders once and report what their planning files
// say. The JSON form is a public contract (README.md, Command line): scripts rely on its shape, so
// fields are only ever added. A folder that cannot be read is an error on stderr naming it
// (exit code 2) and every other folder is still reported.
import { basename, resolve } from 'node:path';
import { STATUSES, type ParseIssue, type Plan, type ProjectIssue, type SourceId, type Stub, type Workorder } from '../../shared/model';
import { ADAPTERS } from '../sources/index';
import { loadProjectFiles } from '../engine/loader';
import { leafProgress, ProjectModel } from '../engine/project-model';
import { projectIdFor } from '../engine/project-id';
import { ProjectScope } from '../engine/scope';
import { parseCommandArgs } from './args';
import { folderProblem } from './folder-check';
import { SCAN } from './specs';

export interface ScannedProject {
  root: string;
  name: string;
  sources: SourceId[];
  plans: Pick<Plan, 'id' | 'source' | 'kind' | 'title' | 'status' | 'rawStatus' | 'progress' | 'path' | 'parent' | 'attachments' | 'updatedAt'>[];
  stubs: Pick<Stub, 'id' | 'source' | 'title' | 'status' | 'rawStatus' | 'path' | 'updatedAt'>[];
  workorders: Pick<Workorder, 'id' | 'source' | 'title' | 'status' | 'path' | 'activity' | 'lastActivity' | 'updatedAt'>[];
  issues: Pick<ProjectIssue, 'path' | 'line' | 'message'>[];
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(SCAN, args);
  if (typeof parsed === 'number') return parsed;
  const folders = parsed.positionals;

  const projects: ScannedProject[] = [];
  let failed = false;
  for (const folder of folders) {
    const problem = await folderProblem(folder);
    if (problem) {
      process.stderr.write(`vigil scan: ${problem}\n`);
      failed = true;
      continue;
    }
    projects.push(await scanFolder(resolve(folder)));
  }

  if (parsed.values.json) process.stdout.write(`${JSON.stringify({ projects })}\n`);
  else process.stdout.write(projects.map(formatProject).join('\n'));
  return failed ? 2 : 0;
}

/** Read one project folder through the same loader and model the live engine uses. */
export async function scanFolder(root: string, scope = new ProjectScope(ADAPTERS)): Promise<ScannedProject> {
  const model = new ProjectModel(projectIdFor(root), root, basename(root) || root);
  const unreadableFolders: ParseIssue[] = [];
  const files = await loadProjectFiles(root, scope, { unreadableFolders });
  model.applyFiles(
    files.map((f) => [f.rel, f.change] as const),
    { now: Date.now(), initial: true },
  );
  model.setFolderIssues(unreadableFolders);
  return {
    root,
    name: model.name,
    sources: model.project().sources,
    plans: model.plans().map((p) => ({
      id: p.id,
      source: p.source,
      kind: p.kind,
      title: p.title,
      status: p.status,
      rawStatus: p.rawStatus,
      progress: { done: p.progress.done, total: p.progress.total },
      path: p.path,
      parent: p.parent,
      ...(p.attachments ? { attachments: [...p.attachments] } : {}),
      updatedAt: p.updatedAt,
    })),
    stubs: model.stubs().map((s) => ({
      id: s.id,
      source: s.source,
      title: s.title,
      status: s.status,
      rawStatus: s.rawStatus,
      path: s.path,
      updatedAt: s.updatedAt,
    })),
    workorders: model.workorders().map((w) => ({
      id: w.id,
      source: w.source,
      title: w.title,
      status: w.status,
      path: w.path,
      activity: w.activity ?? null,
      lastActivity: w.lastActivity,
      updatedAt: w.updatedAt,
    })),
    issues: model.issues().map((i) => ({ path: i.path, line: i.line, message: i.message })),
  };
}

/** The readable summary of one project. */
export function formatProject(p: ScannedProject): string {
  const out: string[] = [`${p.name}  ${p.root}`];
  out.push(`  sources:    ${p.sources.length > 0 ? p.sources.join(', ') : 'none found'}`);
  const progress = leafProgress(p.plans);
  const percent = progress.total > 0 ? ` (${Math.round((progress.done / progress.total) * 100)}%)` : '';
  out.push(`  progress:   ${progress.done}/${progress.total} plans finished${percent}`);
  out.push(`  plans:      ${p.plans.length}${p.plans.length > 0 ? `  ${countByStatus(p.plans)}` : ''}`);
  out.push(`  stubs:      ${p.stubs.length}${p.stubs.length > 0 ? `  ${countByStatus(p.stubs)}` : ''}`);
  out.push(`  workorders: ${p.workorders.length}`);
  out.push(`  issues:     ${p.issues.length}`);
  for (const issue of p.issues.slice(0, 10)) {
    out.push(`    ${issue.path}${issue.line !== null ? `:${issue.line}` : ''}  ${issue.message}`);
  }
  if (p.issues.length > 10) out.push(`    … and ${p.issues.length - 10} more (--json lists them all)`);
  return `${out.join('\n')}\n`;
}

function countByStatus(items: readonly { status: string }[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  return STATUSES.filter((s) => counts.has(s))
    .map((s) => `${s} ${counts.get(s)}`)
    .join(', ');
}
