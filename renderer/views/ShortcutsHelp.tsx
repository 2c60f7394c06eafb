// The keys, listed when the person presses ?.
import { useEffect, useRef } from 'react';
import { TAB_LABELS, TABS, useUi } from '../app/ui-store';

export function ShortcutsHelp() {
  const open = useUi((s) => s.shortcutsOpen);
  const setOpen = useUi((s) => s.setShortcutsOpen);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);
  if (!open) return null;
  const keys: [string, string][] = [
    ...TABS.map((tab, i) => [String(i + 1), `Show ${TAB_LABELS[tab]}`] as [string, string]),
    ['← →', 'Move between the tabs (when one has the focus)'],
    ['Enter', 'Open the item whose title has the focus'],
    ['Esc', 'Close the details, then the log panel'],
    ['?', 'Show or hide this list'],
  ];
  return (
    <div className="overlay" onClick={() => setOpen(false)}>
      <div className="card shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcuts-title">Keyboard</h2>
        <dl className="shortcut-list">
          {keys.map(([key, what]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={closeButton} onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
