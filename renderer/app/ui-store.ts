// What the person is looking at: tab, filters, the open log. Kept apart from the live model so
// a keystroke in a filter never touches the data store, and filters survive switching tabs.
import { create } from 'zustand';
import type { ActivityFilter, ItemFilter } from '../store/selectors';
import { emptyActivityFilter, emptyFilter } from '../store/selectors';

export const TABS = ['overview', 'projects', 'plans', 'stubs', 'workorders', 'activity', 'runs'] as const;
export type Tab = (typeof TABS)[number] | 'settings';

export const TAB_LABELS: Record<Tab, string> = {
  overview: 'Overview',
  projects: 'Projects',
  plans: 'Plans',
  stubs: 'Stubs',
  workorders: 'Work orders',
  runs: 'Runs',
  activity: 'Activity',
  settings: 'Settings',
};

export interface OpenLog {
  projectId: string;
  path: string;
  title: string;
  /** Show only this work order's lines of a log several work orders share. */
  workorderId?: string;
  /** Set for a run's log: it is followed by the run's id. */
  runId?: string;
}

interface UiState {
  tab: Tab;
  planFilter: ItemFilter;
  stubFilter: ItemFilter;
  workorderFilter: ItemFilter;
  activityFilter: ActivityFilter;
  openLog: OpenLog | null;
  setTab(tab: Tab): void;
  setPlanFilter(patch: Partial<ItemFilter>): void;
  setStubFilter(patch: Partial<ItemFilter>): void;
  setWorkorderFilter(patch: Partial<ItemFilter>): void;
  setActivityFilter(patch: Partial<ActivityFilter>): void;
  setOpenLog(log: OpenLog | null): void;
}

function tabFromHash(): Tab {
  const name = new URLSearchParams(globalThis.location?.hash.slice(1) ?? '').get('tab');
  return (TABS as readonly string[]).includes(name ?? '') ? (name as Tab) : 'overview';
}

export const useUi = create<UiState>()((set) => ({
  tab: tabFromHash(),
  planFilter: emptyFilter(),
  stubFilter: emptyFilter(),
  workorderFilter: emptyFilter(),
  activityFilter: emptyActivityFilter(),
  openLog: null,
  setTab: (tab) => set({ tab }),
  setPlanFilter: (patch) => set((s) => ({ planFilter: { ...s.planFilter, ...patch } })),
  setStubFilter: (patch) => set((s) => ({ stubFilter: { ...s.stubFilter, ...patch } })),
  setWorkorderFilter: (patch) => set((s) => ({ workorderFilter: { ...s.workorderFilter, ...patch } })),
  setActivityFilter: (patch) => set((s) => ({ activityFilter: { ...s.activityFilter, ...patch } })),
  setOpenLog: (openLog) => set({ openLog }),
}));
