// What every component may reach: the store (through selectors), the sync (requests, logs,
// refresh) and the transport (desktop-only features). Provided once by main.tsx.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../store/app-store';
import type { LiveSync } from '../store/live-sync';
import type { Transport } from '../transport/transport';

export interface AppServices {
  store: AppStore;
  sync: LiveSync;
  transport: Transport;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices outside <AppContext.Provider>');
  return services;
}

/** Read from the live store; the component re-renders only when the selected value changes. */
export function useLive<T>(selector: (state: AppState) => T): T {
  return useStore(useServices().store, selector);
}
