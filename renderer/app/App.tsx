// The frame: header, banners, the current view (or first-run, loading, error), the log panel.
import { Toaster } from 'sonner';
import { useLive, useServices } from './context';
import { useDesktopFocus } from './desktop-focus';
import { useShortcuts, useTabInUrl } from './shortcuts';
import { useUi, type Tab } from './ui-store';
import { EmptyState } from '../components/EmptyState';
import { selectIsFirstRun, selectIsStale } from '../store/selectors';
import { Activity } from '../views/Activity';
import { Banners } from '../views/Banners';
import { ConnectionToasts } from '../views/ConnectionToasts';
import { Header } from '../views/Header';
import { LogPanel } from '../views/LogPanel';
import { Onboarding } from '../views/Onboarding';
import { Overview } from '../views/Overview';
import { Plans } from '../views/Plans';
import { Projects } from '../views/Projects';
import { Runs } from '../views/Runs';
import { Settings } from '../views/Settings';
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
};

function NotLoaded() {
  const { transport } = useServices();
  const connection = useLive((s) => s.connection);
  if (connection.status === 'disconnected' || connection.fatal) {
    return (
      <EmptyState tone="error" title={`Cannot reach Vigil at ${transport.endpoint}`} testId="state-unreachable">
        <p>{connection.reason ?? 'The connection failed.'}</p>
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
  const firstRun = useLive(selectIsFirstRun);
  const stale = useLive(selectIsStale);
  const tab = useUi((s) => s.tab);
  useShortcuts(loaded && !firstRun);
  useTabInUrl();
  useDesktopFocus();
  const View = VIEWS[tab];
  return (
    <div className={stale ? 'app stale' : 'app'} data-testid="app" data-loaded={loaded}>
      <Header />
      <Banners />
      <main className="app-main" aria-busy={!loaded}>
        {!loaded ? <NotLoaded /> : firstRun && tab !== 'settings' ? <Onboarding /> : <View />}
      </main>
      <LogPanel />
      <ConnectionToasts />
      <Toaster position="bottom-right" theme="system" richColors closeButton />
    </div>
  );
}
