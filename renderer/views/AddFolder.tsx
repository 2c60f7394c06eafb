// Adding a project: type a path (every client), or pick / drop a folder (desktop only, where
// the app can see the file system).
import { useState, type DragEvent, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useServices } from '../app/context';
import { ControlButton, ControlInput } from '../components/ControlButton';
import { useCommand } from '../components/use-command';

export function useAddProject() {
  const command = useCommand();
  return async (root: string): Promise<boolean> => {
    const reply = await command('project:add', { root: root.trim() });
    if (reply.ok) toast.success('Project added', { description: root });
    return reply.ok;
  };
}

/** Ask the desktop app for a folder; null when cancelled or outside the desktop app. */
export function usePickFolder(): (() => Promise<string | null>) | null {
  const { transport } = useServices();
  const desktop = transport.desktop;
  if (!desktop) return null;
  return async () => {
    const reply = await desktop['dialog:pickFolder']({});
    if (!reply.ok) {
      toast.error('Could not open the folder picker', { description: reply.error.message });
      return null;
    }
    return reply.data.path;
  };
}

/** Drop handlers that add every dropped folder; inert outside the desktop app. */
export function useFolderDrop(onPath: (path: string) => void) {
  const { transport } = useServices();
  const [over, setOver] = useState(false);
  const pathForFile = transport.pathForFile;
  if (!pathForFile) return { over: false, handlers: {} };
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        for (const file of Array.from(e.dataTransfer.files)) {
          const path = pathForFile(file);
          if (path) onPath(path);
        }
      },
    },
  };
}

export function AddFolderForm({ compact = false }: { compact?: boolean }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const addProject = useAddProject();
  const pickFolder = usePickFolder();

  const add = async (root: string) => {
    if (!root.trim()) return;
    setBusy(true);
    try {
      if (await addProject(root)) setPath('');
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add(path);
  };
  return (
    <form className={compact ? 'add-folder compact' : 'add-folder'} onSubmit={submit} data-testid="add-folder-form">
      <ControlInput
        type="text"
        className="path-input"
        placeholder="/path/to/a/project"
        aria-label="Folder to watch"
        value={path}
        data-testid="add-folder-path"
        onChange={(e) => setPath(e.target.value)}
      />
      <ControlButton type="submit" className="primary" disabled={busy || !path.trim()} data-testid="add-folder-submit">
        Add folder
      </ControlButton>
      {pickFolder && (
        <ControlButton
          disabled={busy}
          data-testid="pick-folder"
          onClick={async () => {
            const picked = await pickFolder();
            if (picked) await add(picked);
          }}
        >
          Choose folder…
        </ControlButton>
      )}
    </form>
  );
}
