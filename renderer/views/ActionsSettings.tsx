// Settings → Actions (desktop only): the presets to turn on, the user's own actions (add and
// remove), and how many runs go at once. Everything is saved in the config folder, where
// `vigil action` edits the same file.
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import type { ActionsSettings as ActionsValue, DesktopApi } from '../../shared/desktop-protocol';
import type { Settings as SettingsValue } from '../../shared/settings';
import { SOURCE_IDS, PLAN_KINDS } from '../../shared/model';
import type { ActionSpec, AppliesTo } from '../../shared/runs';
import { EmptyState } from '../components/EmptyState';

function argvOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function appliesText(appliesTo: AppliesTo[] | undefined): string {
  if (!appliesTo || appliesTo.length === 0) return 'the whole project';
  return appliesTo.map((a) => [a.source, a.kind].filter(Boolean).join(' ') || 'any item').join(', ');
}

function AddAction({ onAdd }: { onAdd(spec: ActionSpec): Promise<boolean> }) {
  const [id, setId] = useState('');
  const [label, setLabel] = useState('');
  const [argv, setArgv] = useState('');
  const [source, setSource] = useState('');
  const [kind, setKind] = useState('');
  const [worktree, setWorktree] = useState(false);
  const submit = async () => {
    const appliesTo: AppliesTo[] | undefined = source || kind ? [{ ...(source ? { source } : {}), ...(kind ? { kind } : {}) } as AppliesTo] : undefined;
    const spec: ActionSpec = { id: id.trim(), argv: argvOf(argv), ...(label.trim() ? { label: label.trim() } : {}), ...(appliesTo ? { appliesTo } : {}), ...(worktree ? { cwd: 'worktree' as const } : {}) };
    if (await onAdd(spec)) {
      setId('');
      setLabel('');
      setArgv('');
    }
  };
  return (
    <form
      className="add-action"
      data-testid="add-action"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        Id <input value={id} onChange={(e) => setId(e.target.value)} placeholder="implement" required data-testid="action-id" />
      </label>
      <label className="field">
        Label <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Implement with my agent" />
      </label>
      <label className="field">
        Program and arguments, one per line (no shell; placeholders: {'{root} {item.id} {item.path} {item.title} {item.number}'})
        <textarea rows={4} value={argv} onChange={(e) => setArgv(e.target.value)} placeholder={'claude\n-p\nCarry out {item.path}'} required data-testid="action-argv" />
      </label>
      <label className="field">
        Offered on{' '}
        <select className="select" value={source} onChange={(e) => setSource(e.target.value)} aria-label="Source">
          <option value="">{kind ? 'any source' : 'the whole project (no item)'}</option>
          {SOURCE_IDS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>{' '}
        <select className="select" value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Kind">
          <option value="">{source ? 'every kind' : '—'}</option>
          {[...PLAN_KINDS, 'stub'].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <input type="checkbox" checked={worktree} onChange={(e) => setWorktree(e.target.checked)} /> Run each time in a fresh git worktree (a branch named after the item)
      </label>
      <button type="submit" data-testid="action-add">
        Add the action
      </button>
    </form>
  );
}

export function ActionsSettings({ desktop, settings, save }: { desktop: DesktopApi; settings: SettingsValue; save(patch: Partial<SettingsValue>): Promise<void> }) {
  const [value, setValue] = useState<ActionsValue | null>(null);
  useEffect(() => {
    void desktop['actions:get']({}).then((reply) => {
      if (reply.ok) setValue(reply.data);
      else toast.error('Could not read the actions', { description: reply.error.message });
    });
  }, [desktop]);
  if (!value) return <EmptyState tone="loading" title="Reading actions…" />;
  const change = async (patch: { actions?: ActionSpec[]; presets?: string[] }): Promise<boolean> => {
    const reply = await desktop['actions:set'](patch);
    if (!reply.ok) {
      toast.error('Could not save the actions', { description: reply.error.message });
      return false;
    }
    setValue(reply.data);
    return true;
  };
  const enabled = value.presets.filter((p) => p.enabled).map((p) => p.id);
  const runs = settings.runs;
  return (
    <section className="card settings-section" data-testid="settings-actions">
      <h2>Actions</h2>
      <p className="muted small">
        What Vigil may run on your projects. A control token can start these (and the actions of project files you trusted), never anything else.
      </p>
      <h3>Presets</h3>
      {value.presets.map((preset) => (
        <label key={preset.id} className="setting-toggle">
          <input
            type="checkbox"
            checked={preset.enabled}
            data-testid={`preset-${preset.id}`}
            onChange={(e) => void change({ presets: e.target.checked ? [...enabled, preset.id] : enabled.filter((id) => id !== preset.id) })}
          />
          <span>
            {preset.label}
            <span className="muted small block mono">{preset.argv.join(' ')}</span>
          </span>
        </label>
      ))}
      <h3>Your actions</h3>
      {value.actions.length === 0 && <p className="muted small">None yet.</p>}
      {value.actions.map((action) => (
        <div key={action.id} className="item-row" data-testid="user-action" data-action={action.id}>
          <div className="item-main">
            <div className="item-title">
              <strong>{action.label ?? action.id}</strong> <span className="muted small">on {appliesText(action.appliesTo)}</span>
            </div>
            <div className="item-meta muted small mono">{action.argv.join(' ')}</div>
          </div>
          <button type="button" onClick={() => void change({ actions: value.actions.filter((a) => a.id !== action.id) })}>
            Remove
          </button>
        </div>
      ))}
      <AddAction onAdd={(spec) => change({ actions: [...value.actions.filter((a) => a.id !== spec.id), spec] })} />
      <h3>Runs at once</h3>
      <label className="field">
        In all{' '}
        <input type="number" min={1} max={64} value={runs.maxConcurrent} onChange={(e) => void save({ runs: { ...runs, maxConcurrent: Math.max(1, Number(e.target.value) || 1) } })} />
      </label>
      <label className="field">
        Per project{' '}
        <input type="number" min={1} max={64} value={runs.perProject} onChange={(e) => void save({ runs: { ...runs, perProject: Math.max(1, Number(e.target.value) || 1) } })} />
      </label>
      <label className="field">
        A run with no output for{' '}
        <input type="number" min={1} max={1440} value={runs.stuckMinutes} onChange={(e) => void save({ runs: { ...runs, stuckMinutes: Math.max(1, Number(e.target.value) || 1) } })} /> minutes is
        stuck
      </label>
    </section>
  );
}
