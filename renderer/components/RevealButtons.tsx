// Desktop only: show a file in the system file manager or open it in its default app. The main
// side checks the path is inside the project's root; a browser never sees these buttons.
import { toast } from 'sonner';
import { useServices } from '../app/context';

export function RevealButtons({ projectId, path, labelled = false }: { projectId: string; path: string; labelled?: boolean }) {
  const desktop = useServices().transport.desktop;
  if (!desktop) return null;
  const run = async (action: 'item:reveal' | 'item:open') => {
    const reply = await desktop[action]({ projectId, path });
    if (!reply.ok) toast.error(action === 'item:reveal' ? 'Could not show the file' : 'Could not open the file', { description: reply.error.message });
  };
  return (
    <span className="reveal-buttons">
      <button type="button" className={labelled ? undefined : 'icon-button small-icon'} title="Show in folder" aria-label={`Show ${path} in its folder`} data-testid="reveal-item" onClick={() => void run('item:reveal')}>
        {labelled ? 'Show in folder' : '⌕'}
      </button>
      <button type="button" className={labelled ? undefined : 'icon-button small-icon'} title="Open in its app" aria-label={`Open ${path}`} data-testid="open-item" onClick={() => void run('item:open')}>
        {labelled ? 'Open in editor' : '↗'}
      </button>
    </span>
  );
}
