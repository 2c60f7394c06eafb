import { useLive, useServices } from '../app/context';
import { TAB_LABELS, TABS, useUi, type Tab } from '../app/ui-store';
import { Age } from '../components/Age';
import { selectIsFirstRun, selectIsStale } from '../store/selectors';
import { ConnectionIndicator } from './ConnectionIndicator';

function TabButton({ tab, shortcut }: { tab: Tab; shortcut?: number }) {
  const active = useUi((s) => s.tab === tab);
  const setTab = useUi((s) => s.setTab);
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      className={active ? 'tab active' : 'tab'}
      data-testid={`tab-${tab}`}
      onClick={() => setTab(tab)}
      title={shortcut ? `${TAB_LABELS[tab]} (${shortcut})` : TAB_LABELS[tab]}
    >
      {TAB_LABELS[tab]}
      {shortcut && <kbd className="tab-key">{shortcut}</kbd>}
    </button>
  );
}

function StaleBadge() {
  const stale = useLive(selectIsStale);
  const receivedAt = useLive((s) => s.receivedAt);
  if (!stale) return null;
  return (
    <span className="stale-badge" data-testid="stale-badge" title="The link is down: what you see is the last state received.">
      Data from <Age at={receivedAt} />
    </span>
  );
}

function RefreshButton() {
  const { sync } = useServices();
  return (
    <button type="button" className="icon-button" data-testid="refresh-button" title="Fetch a fresh snapshot" aria-label="Refresh" onClick={() => void sync.refresh(true)}>
      ⟳
    </button>
  );
}

export function Header() {
  const { transport } = useServices();
  const firstRun = useLive(selectIsFirstRun);
  const issues = useLive((s) => s.issues.size);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Vigil</span>
      </div>
      {!firstRun && (
        <nav className="tabs" role="tablist" aria-label="Views">
          {TABS.map((tab, i) => (
            <TabButton key={tab} tab={tab} shortcut={i + 1} />
          ))}
        </nav>
      )}
      <div className="header-right">
        {issues > 0 && (
          <span className="issue-count" title="Files Vigil could not fully read" data-testid="issue-count">
            {issues} file{issues === 1 ? '' : 's'} with issues
          </span>
        )}
        <StaleBadge />
        <RefreshButton />
        <ConnectionIndicator />
        {transport.desktop && <TabButton tab="settings" />}
      </div>
    </header>
  );
}
