// First run: nothing is registered yet. Three ways in — a folder, a folder of folders, or the
// demo workspace to see Vigil move before pointing it at real work.
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import type { DiscoveredProject } from '../../shared/protocol';
import { count } from '../app/words';
import { ControlButton, ControlInput } from '../components/ControlButton';
import { SourceChip } from '../components/SourceChip';
import { useCommand } from '../components/use-command';
import { AddFolderForm, useAddProject, useFolderDrop, usePickFolder } from './AddFolder';

function DiscoverCard() {
  const command = useCommand();
  const pickFolder = usePickFolder();
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [candidates, setCandidates] = useState<DiscoveredProject[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());

  const discover = async (where: string) => {
    if (!where.trim()) return;
    setBusy(true);
    try {
      const reply = await command('projects:discover', { folder: where.trim() });
      if (reply.ok) {
        setCandidates(reply.data.candidates);
        setChosen(new Set(reply.data.candidates.filter((c) => !c.registered).map((c) => c.root)));
      }
    } finally {
      setBusy(false);
    }
  };
  const addChosen = async () => {
    setBusy(true);
    let added = 0;
    try {
      for (const root of chosen) {
        const reply = await command('project:add', { root });
        if (reply.ok) added += 1;
      }
    } finally {
      setBusy(false);
    }
    if (added > 0) toast.success(`Added ${count(added, 'project')}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void discover(folder);
  };
  return (
    <section className="card onboarding-card" data-testid="onboarding-discover">
      <h2>Discover projects under a folder</h2>
      <p className="muted">Vigil looks for planning folders (.planning, specs, coderef, backlog, .taskmaster …) one or two levels down. Nothing is added until you choose.</p>
      <form className="add-folder" onSubmit={submit}>
        <ControlInput type="text" className="path-input" placeholder="~/code" aria-label="Folder to search" value={folder} data-testid="discover-path" onChange={(e) => setFolder(e.target.value)} />
        <ControlButton type="submit" disabled={busy || !folder.trim()} data-testid="discover-submit">
          Look for projects
        </ControlButton>
        {pickFolder && (
          <ControlButton
            disabled={busy}
            onClick={async () => {
              const picked = await pickFolder();
              if (picked) {
                setFolder(picked);
                await discover(picked);
              }
            }}
          >
            Choose folder…
          </ControlButton>
        )}
      </form>
      {candidates !== null &&
        (candidates.length === 0 ? (
          <p className="muted" data-testid="discover-none">
            No projects with planning files under {folder}.
          </p>
        ) : (
          <div className="candidates" data-testid="discover-results">
            <ul>
              {candidates.map((c) => (
                <li key={c.root}>
                  <label className="candidate">
                    <input
                      type="checkbox"
                      checked={chosen.has(c.root)}
                      disabled={c.registered}
                      data-testid="discover-candidate"
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(c.root);
                        else next.delete(c.root);
                        setChosen(next);
                      }}
                    />
                    <span className="candidate-name">{c.name}</span>
                    <span className="mono muted small">{c.root}</span>
                    <span className="candidate-sources">
                      {c.sources.map((s) => (
                        <SourceChip key={s} source={s} />
                      ))}
                    </span>
                    {c.registered && <span className="muted small">already watched</span>}
                  </label>
                </li>
              ))}
            </ul>
            <ControlButton className="primary" disabled={busy || chosen.size === 0} onClick={() => void addChosen()} data-testid="discover-add">
              Add {count(chosen.size, 'project')}
            </ControlButton>
          </div>
        ))}
    </section>
  );
}

function DemoCard() {
  const command = useCommand();
  const [busy, setBusy] = useState(false);
  return (
    <section className="card onboarding-card" data-testid="onboarding-demo">
      <h2>Open the demo workspace</h2>
      <p className="muted">A temporary folder with one project per planning convention and a simulated agent that ticks tasks, moves statuses and writes a work-order log. Nothing of yours is touched.</p>
      <ControlButton
        className="primary"
        disabled={busy}
        data-testid="start-demo"
        onClick={async () => {
          setBusy(true);
          try {
            await command('demo:start', {}, 'Demo workspace started');
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Starting…' : 'Open demo workspace'}
      </ControlButton>
    </section>
  );
}

export function Onboarding() {
  const addProject = useAddProject();
  const drop = useFolderDrop((path) => void addProject(path));
  return (
    <div className={drop.over ? 'onboarding drop-target' : 'onboarding'} data-testid="onboarding" {...drop.handlers}>
      <div className="onboarding-intro">
        <h1>Welcome to Vigil</h1>
        <p className="muted">
          Vigil watches folders where AI coding agents and planning tools keep their state — GSD, BMAD, spec-kit, Task Master, Backlog.md, Kiro, OpenSpec, coderef — and shows what is planned, moving, finished or stuck, live.
        </p>
      </div>
      <section className="card onboarding-card" data-testid="onboarding-add">
        <h2>Add a project folder</h2>
        <p className="muted">{drop.handlers.onDrop ? 'Type a path, choose a folder, or drop folders anywhere on this window.' : 'The path of a folder on the machine Vigil runs on.'}</p>
        <AddFolderForm />
      </section>
      <DiscoverCard />
      <DemoCard />
    </div>
  );
}
