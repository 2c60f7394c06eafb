// The frame: header, banners, the current view (or first-run, loading, error) with the detail of
// an item beside it, the log panel.
import { Toaster } from 'sonner';
import { useLive, useServices } from './context';
import { useDesktopFocus } from './desktop-focus';
import { useShortcuts, useViewInUrl } from './shortcuts';
import { useAppliedTheme } from './theme';
import { TABS, useUi, type Tab } from './ui-store';
import { EmptyState } from '../components/EmptyState';
import { selectIsFirstRun, selectIsStale } from '../store/selectors';
import { Activity } from '../views/Activity';
import { AwayPanel } from '../views/AwayPanel';
import { Banners, refusalText } from '../views/Banners';
import { ConnectionToasts } from '../views/ConnectionToasts';
import { ItemDetail } from '../views/detail/ItemDetail';
import { Header, tabId, VIEW_PANEL_ID } from '../views/Header';
import { Issues } from '../views/Issues';
import { LogPanel } from '../views/LogPanel';
import { NeedsYou } from '../views/NeedsYou';
import { Onboarding } from '../views/Onboarding';
import { Overview } from '../views/Overview';
import { Plans, usePlansReadyAhead } from '../views/Plans';
import { Projects } from '../views/Projects';
import { Runs } from '../views/Runs';
import { Settings } from '../views/Settings';
import { ShortcutsHelp } from '../views/ShortcutsHelp';
import { Stubs } from '../views/Stubs';
import { Workorders } from '../views/Workorders';

const VIEWS: Record<Tab, () => React.JSX.Element> = {
  overview: Overview,
  projects: Projects,
  plans: Plans,
  stubs: Stubs,
  workorders: Workorders,
  runs: Runs,
  activity: Activity,
  settings: Settings,
  issues: Issues,
};

function NotLoaded() {
  const { transport } = useServices();
  const connection = useLive((s) => s.connection);
  if (connection.status === 'disconnected' || connection.fatal) {
    return (
      <EmptyState tone="error" title={connection.fatal ? 'This link cannot open Vigil' : `Cannot reach Vigil at ${transport.endpoint}`} testId="state-unreachable">
        <p>{connection.fatal ? refusalText(connection, transport.endpoint) : (connection.reason ?? 'The connection failed.')}</p>
        <button type="button" onClick={() => transport.retry()}>
          Try again now
        </button>
      </EmptyState>
    );
  }
  return <EmptyState tone="loading" title={`Connecting to ${transport.endpoint}…`} testId="state-loading" />;
}

export function App() {
  const loaded = useLive((s) => s.loaded);
  usePlansReadyAhead();
  const firstRun = useLive(selectIsFirstRun);
  const stale = useLive(selectIsStale);
  const tab = useUi((s) => s.tab);
  const detailOpen = useUi((s) => s.detail !== null);
  const theme = useAppliedTheme();
  useShortcuts(loaded && !firstRun);
  useViewInUrl();
  useDesktopFocus();
  const View = VIEWS[tab];
  const isTab = (TABS as readonly string[]).includes(tab) && loaded && !firstRun;
  return (
    <div className={stale ? 'app stale' : 'app'} data-testid="app" data-loaded={loaded}>
      <Header />
      <Banners />
      {loaded && !firstRun && <AwayPanel />}
      {loaded && <NeedsYou />}
      <div className={detailOpen ? 'app-body with-detail' : 'app-body'}>
        <main className="app-main" aria-busy={!loaded}>
          <div className="view-panel" id={VIEW_PANEL_ID} role={isTab ? 'tabpanel' : undefined} aria-labelledby={isTab ? tabId(tab) : undefined}>
            {!loaded ? <NotLoaded /> : firstRun && tab !== 'settings' ? <Onboarding /> : <View />}
          </div>
        </main>
        <ItemDetail />
      </div>
      <LogPanel />
      <ShortcutsHelp />
      <ConnectionToasts />
      <Toaster position="bottom-right" theme={theme} richColors closeButton />
    </div>
  );
}
