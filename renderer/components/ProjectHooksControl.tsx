// On a project's card in the desktop app: whether Claude Code's hooks report to Vigil, when
// the last hook event came, and a button to install or remove them (`vigil hooks` in a click).
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import type { ProjectHooks } from '../../shared/alerts';
import type { DesktopApi } from '../../shared/desktop-protocol';
import { Age } from './Age';

export function ProjectHooksControl({ desktop, projectId }: { desktop: DesktopApi; projectId: string }) {
  const [hooks, setHooks] = useState<ProjectHooks | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void desktop['hooks:status']({ projectId }).then((r) => setHooks(r.ok ? r.data : null));
  }, [desktop, projectId]);
  if (!hooks) return null;
  const change = async () => {
    setBusy(true);
    const reply = hooks.claude.installed ? await desktop['hooks:uninstall']({ projectId, agent: 'claude' }) : await desktop['hooks:install']({ projectId, agent: 'claude' });
    setBusy(false);
    if (reply.ok) setHooks(reply.data);
    else toast.error('Could not change the agent hooks', { description: reply.error.message });
  };
  return (
    <div className="muted small" data-testid="project-hooks">
      Claude Code hooks: {hooks.claude.installed ? 'installed' : 'not installed'}
      {hooks.claude.problem && <span className="text-warning"> — {hooks.claude.problem}</span>}
      {hooks.lastEvent && (
        <>
          {' '}
          · last event <Age at={hooks.lastEvent.at} />
        </>
      )}{' '}
      <button type="button" className="link-button" disabled={busy} onClick={() => void change()}>
        {hooks.claude.installed ? 'Remove' : 'Install'}
      </button>
    </div>
  );
}
