// Boot: pick the transport (Electron preload or socket.io), start keeping the store in sync,
// render. Nothing here knows which transport it got.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AppContext, type AppServices } from './app/context';
import { createAppStore } from './store/app-store';
import { startLiveSync } from './store/live-sync';
import { createTransport } from './transport/create-transport';
import './styles/base.css';
import './styles/layout.css';
import './styles/views.css';
import './styles/runs.css';

declare global {
  interface Window {
    /**
     * The model as this page holds it, for end-to-end tests and for support ("what does the
     * page think?"). Read-only copies of what the page already shows.
     */
    __vigil?: { model(): unknown };
  }
}

const transport = createTransport();
const store = createAppStore();
const sync = startLiveSync(transport, store);
const services: AppServices = { store, sync, transport };

window.__vigil = {
  model: () => {
    const s = store.getState();
    return JSON.parse(
      JSON.stringify({ lastSeq: s.lastSeq, loaded: s.loaded, projects: s.projects, plans: s.plans, stubs: s.stubs, workorders: s.workorders, activity: s.activity, connection: s.connection }),
    ) as unknown;
  },
};
window.addEventListener('beforeunload', () => sync.dispose());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={services}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
