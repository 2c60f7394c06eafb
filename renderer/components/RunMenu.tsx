// The Run button of an item row, an item's detail or a project card: it asks the server which
// actions apply (actions:list) when opened, lists them, and starts the one picked. With a read
// token it stays visible but disabled, saying why (ControlButton). A project whose own actions
// file is not trusted says so in the menu, with how to trust it.
import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { toast } from 'sonner';
import { runLogPath, type ActionInfo, type ActionsList } from '../../shared/runs';
import { useServices } from '../app/context';
import { useUi } from '../app/ui-store';
import { ActionsSetupHint } from './ActionsSetupHint';
import { ControlButton } from './ControlButton';
import { useCommand } from './use-command';

export interface RunTarget {
  projectId: string;
  /** The item to run on; absent for a project-wide action. */
  itemId?: string;
  /** What the item or project is called, for the log panel and toasts. */
  title: string;
}

/** Open a run's log in the panel; reads the store when called, so a row holding it subscribes to nothing. */
export function openRunLog(run: { id: string; projectId: string }, title: string): void {
  useUi.getState().setOpenLog({ projectId: run.projectId, path: runLogPath(run.id), title, runId: run.id });
}

function argvText(action: ActionInfo): string {
  return action.argv.join(' ');
}

export function RunMenu({ target, compact = false }: { target: RunTarget; compact?: boolean }) {
  // A row holds only the button: the menu and its state exist while it is open, so a list
  // scrolling rows in and out does not set up a menu for each of them.
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const { itemId, title } = target;
  return (
    <div className="run-menu" ref={box} onClick={(e) => e.stopPropagation()}>
      <ControlButton
        className={compact ? 'run-button compact' : 'run-button'}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="run-button"
        title={itemId ? `Run an action on ${title}` : `Run an action on the project ${title}`}
        onClick={() => setOpen(!open)}
      >
        ▶ Run
      </ControlButton>
      {open && <RunMenuList target={target} anchor={box} close={() => setOpen(false)} />}
    </div>
  );
}

function RunMenuList({ target, anchor, close }: { target: RunTarget; anchor: RefObject<HTMLDivElement | null>; close(): void }) {
  const { sync } = useServices();
  const command = useCommand();
  const [list, setList] = useState<ActionsList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<CSSProperties>({});
  const { projectId, itemId, title } = target;
  const latestClose = useRef(close);
  latestClose.current = close;

  useEffect(() => {
    let current = true;
    const dismiss = () => latestClose.current();
    setList(null);
    setError(null);
    void sync.request('actions:list', { projectId, ...(itemId ? { itemId } : {}) }).then((reply) => {
      if (!current) return;
      if (reply.ok) setList(reply.data);
      else setError(reply.error.message);
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') dismiss();
    };
    const onClick = (e: MouseEvent) => {
      const inside = anchor.current?.contains(e.target as Node) || menu.current?.contains(e.target as Node);
      if (!inside) dismiss();
    };
    // The menu floats above the list (rows are layers of their own); when the list moves, it closes.
    const onScroll = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) dismiss();
    };
    const rect = anchor.current?.getBoundingClientRect();
    if (rect) {
      const below = window.innerHeight - rect.bottom > 240;
      setPlace({
        position: 'fixed',
        right: Math.max(8, window.innerWidth - rect.right),
        ...(below ? { top: rect.bottom + 4 } : { bottom: window.innerHeight - rect.top + 4 }),
      });
    }
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    window.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onScroll);
    return () => {
      current = false;
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
      window.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onScroll);
    };
  }, [sync, projectId, itemId, anchor]);

  const start = async (action: ActionInfo) => {
    setStarting(action.id);
    const reply = await command('run:start', { projectId, action: action.id, ...(itemId ? { itemId } : {}) });
    setStarting(null);
    if (!reply.ok) return;
    close();
    const run = reply.data.run;
    const what = `${action.label} on ${title}`;
    openRunLog(run, what);
    toast.success(run.state === 'queued' && run.position ? `Queued ${what} (#${run.position})` : `Started ${what}`);
  };

  return createPortal(
    <div className="run-menu-list" role="menu" aria-label="Actions" data-testid="run-menu" ref={menu} style={place} onClick={(e) => e.stopPropagation()}>
      {error ? (
        <p className="run-menu-note error">{error}</p>
      ) : !list ? (
        <p className="run-menu-note muted">Looking for actions…</p>
      ) : (
        <>
          {list.actions.length === 0 && (
            <p className="run-menu-note muted">
              {itemId ? 'No action applies to this item.' : 'No project-wide action.'} <ActionsSetupHint forItems={Boolean(itemId)} />
            </p>
          )}
          {list.actions.map((action) => (
            <button
              key={action.id}
              type="button"
              role="menuitem"
              className="run-menu-item"
              data-testid="run-action"
              data-action={action.id}
              disabled={starting !== null}
              title={argvText(action)}
              onClick={() => void start(action)}
            >
              <span>{starting === action.id ? `Starting ${action.label}…` : action.label}</span>
              <span className="muted small">{action.origin === 'project' ? 'this project' : action.origin === 'preset' ? 'preset' : 'yours'}</span>
            </button>
          ))}
          {list.projectFile && list.projectFile.message && (
            <p className="run-menu-note warn" data-testid="run-menu-untrusted">
              {list.projectFile.message}
            </p>
          )}
        </>
      )}
    </div>,
    document.body,
  );
}
