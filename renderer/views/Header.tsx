// The top bar: the tabs (arrow keys move between them, the active one is scrolled into view on
// a narrow screen), files with issues, theme, refresh, the connection, and settings.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useLive, useServices } from '../app/context';
import { TAB_LABELS, TABS, THEME_CHOICES, useUi, type Tab, type ThemeChoice } from '../app/ui-store';
import { count } from '../app/words';
import { Age } from '../components/Age';
import { selectIsFirstRun, selectIsStale } from '../store/selectors';
import { ConnectionIndicator } from './ConnectionIndicator';

export const tabId = (tab: Tab): string => `tab-${tab}`;
export const VIEW_PANEL_ID = 'view-panel';

function Tabs() {
  const active = useUi((s) => s.tab);
  const setTab = useUi((s) => s.setTab);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>('[aria-selected=true]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.indexOf(active as (typeof TABS)[number]);
    const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length]!;
    setTab(tab);
    list.current?.querySelector<HTMLElement>(`#${tabId(tab)}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown} data-testid="tabs">
      {TABS.map((tab, i) => {
        const selected = tab === active;
        return (
          <button
            key={tab}
            type="button"
            role="tab"
            id={tabId(tab)}
            aria-selected={selected}
            aria-controls={selected ? VIEW_PANEL_ID : undefined}
            tabIndex={selected || (i === 0 && !(TABS as readonly string[]).includes(active)) ? 0 : -1}
            aria-keyshortcuts={String(i + 1)}
            className={selected ? 'tab active' : 'tab'}
            data-testid={`tab-${tab}`}
            title={`${TAB_LABELS[tab]} — key ${i + 1}`}
            onClick={() => setTab(tab)}
          >
            <span className="tab-label">{TAB_LABELS[tab]}</span>
          </button>
        );
      })}
    </div>
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

function IssuesButton() {
  const files = useLive((s) => s.issues.size);
  const onIssues = useUi((s) => s.tab === 'issues');
  const setTab = useUi((s) => s.setTab);
  if (files === 0) return null;
  return (
    <button type="button" className="issue-count link-button" aria-current={onIssues ? 'page' : undefined} data-testid="issue-count" title="Files Vigil could not fully read: see what and where" onClick={() => setTab('issues')}>
      {count(files, 'file with issues')}
    </button>
  );
}

const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light', dark: 'Dark' };

function ThemeChoiceSelect() {
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  return (
    <select className="select theme-select" aria-label="Theme" value={theme} data-testid="theme-select" onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
      {THEME_CHOICES.map((choice) => (
        <option key={choice} value={choice}>
          {THEME_LABELS[choice]}
        </option>
      ))}
    </select>
  );
}

function SettingsButton() {
  const onSettings = useUi((s) => s.tab === 'settings');
  const setTab = useUi((s) => s.setTab);
  return (
    <button type="button" className={onSettings ? 'on' : undefined} aria-current={onSettings ? 'page' : undefined} data-testid="tab-settings" onClick={() => setTab('settings')}>
      Settings
    </button>
  );
}

export function Header() {
  const { transport } = useServices();
  const firstRun = useLive(selectIsFirstRun);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Vigil</span>
      </div>
      {!firstRun && <Tabs />}
      <div className="header-right">
        <IssuesButton />
        <StaleBadge />
        <ThemeChoiceSelect />
        <RefreshButton />
        <ConnectionIndicator />
        {transport.desktop && <SettingsButton />}
      </div>
    </header>
  );
}
