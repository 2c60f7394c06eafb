// A project's own `.vigil/actions.json` runs only once the local user trusts it. In the desktop
// app its card offers the trust (after showing what the file runs); a browser is told to trust
// it on the machine, since no network client may.
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import type { ActionSpec, ActionsList } from '../../shared/runs';
import { useLive, useServices } from '../app/context';

export function ProjectActionsTrust({ projectId }: { projectId: string }) {
  const { sync, transport } = useServices();
  const connected = useLive((s) => s.connection.status === 'connected');
  const [state, setState] = useState<ActionsList['projectFile']>(null);
  const [reading, setReading] = useState<ActionSpec[] | null>(null);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (!connected) return;
    let current = true;
    void sync.request('actions:list', { projectId }).then((reply) => {
      if (current && reply.ok) setState(reply.data.projectFile);
    });
    return () => {
      current = false;
    };
  }, [sync, projectId, connected, refresh]);
  if (!state || (state.state !== 'untrusted' && state.state !== 'changed' && state.state !== 'invalid')) return null;
  const desktop = transport.desktop;
  const trust = async (): Promise<void> => {
    if (!desktop) return;
    const reply = await desktop['actions:trust']({ projectId });
    setReading(null);
    if (reply.ok) {
      toast.success(`Trusted ${reply.data.count} action(s) of this project`);
      setRefresh((n) => n + 1);
    } else {
      toast.error('Could not trust the actions file', { description: reply.error.message });
    }
  };
  const read = async (): Promise<void> => {
    if (!desktop) return;
    const reply = await desktop['actions:file']({ projectId });
    if (reply.ok) setReading(reply.data.actions);
    else toast.error('Could not read the actions file', { description: reply.error.message });
  };
  return (
    <div className="actions-trust small" data-testid="actions-trust" data-state={state.state}>
      <span className="text-warning">{state.message}</span>
      {desktop && state.state !== 'invalid' && reading === null && (
        <button type="button" data-testid="read-actions" onClick={() => void read()}>
          Read it and trust…
        </button>
      )}
      {reading !== null && (
        <div className="actions-file" data-testid="actions-file">
          <p>These commands could then be run on this project by you and by anyone with a control token:</p>
          <ul>
            {reading.map((a) => (
              <li key={a.id}>
                <strong>{a.label ?? a.id}</strong> <code>{a.argv.join(' ')}</code>
                {a.shell ? ' (through a shell)' : ''}
              </li>
            ))}
          </ul>
          <button type="button" data-testid="trust-actions" onClick={() => void trust()}>
            Trust these {reading.length} action(s)
          </button>{' '}
          <button type="button" onClick={() => setReading(null)}>
            Not now
          </button>
        </div>
      )}
      {!desktop && <span className="muted"> Trust it on the machine running Vigil: <code>vigil action trust &lt;folder&gt;</code>.</span>}
    </div>
  );
}
