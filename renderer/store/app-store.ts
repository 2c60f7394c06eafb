// The one zustand store: the live model (flat, so selectors read `s.plans`), the link's state,
// followed logs, and what this page's access lets it do.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { initialConnection, type ConnectionState } from './connection';
import { emptyModel, type LiveModel } from './live-model';
import type { LogTable } from './logs';
import type { AccessScope } from '../transport/transport';

export interface AppState extends LiveModel {
  connection: ConnectionState;
  logs: LogTable;
  /** What this page may do, as the server said once connected; null until it has. */
  access: AccessScope | null;
  /** How many resyncs were needed (gaps, reconnects): a number worth showing when it climbs. */
  resyncs: number;
  /** The last failure to get the snapshot, for the error state of the views. */
  syncError: string | null;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(now: number = Date.now()): AppStore {
  return createStore<AppState>()(() => ({
    ...emptyModel(),
    connection: initialConnection(now),
    logs: {},
    access: null,
    resyncs: 0,
    syncError: null,
  }));
}
