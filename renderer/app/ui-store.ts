// What the person is looking at: tab, filters, the open log, the open item, the theme. Kept
// apart from the live model so a keystroke in a filter never touches the data store, and
// filters survive switching tabs.
import { create } from 'zustand';
import type { ItemKind } from '../../shared/model';
import type { ItemRef } from '../store/item-detail';
import type { PlanOrder } from '../store/plan-tree';
import type { ActivityFilter, ItemFilter } from '../store/selectors';
import { emptyActivityFilter, emptyFilter } from '../store/selectors';

export const TABS = ['overview', 'projects', 'plans', 'stubs', 'workorders', 'activity', 'runs'] as const;
/** The tabs, plus views opened from the header (settings in the desktop app, the issues list). */
export type Tab = (typeof TABS)[number] | 'settings' | 'issues';
const VIEWS: readonly string[] = [...TABS, 'settings', 'issues'];

export const TAB_LABELS: Record<Tab, string> = {
  overview: 'Overview',
  projects: 'Projects',
  plans: 'Plans',
  stubs: 'Stubs',
  workorders: 'Work orders',
  runs: 'Runs',
  activity: 'Activity',
  settings: 'Settings',
  issues: 'Files with issues',
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

export type { ItemRef };

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export const THEME_STORAGE_KEY = 'vigil.theme';


interface UiState {
  tab: Tab;
  planFilter: ItemFilter;
  stubFilter: ItemFilter;
  workorderFilter: ItemFilter;
  activityFilter: ActivityFilter;
  planOrder: PlanOrder;
  /** Plans whose children are hidden, by item key. */
  collapsed: ReadonlySet<string>;
  openLog: OpenLog | null;
  detail: ItemRef | null;
  theme: ThemeChoice;
  shortcutsOpen: boolean;
  setTab(tab: Tab): void;
  setPlanFilter(patch: Partial<ItemFilter>): void;
  setStubFilter(patch: Partial<ItemFilter>): void;
  setWorkorderFilter(patch: Partial<ItemFilter>): void;
  setActivityFilter(patch: Partial<ActivityFilter>): void;
  setPlanOrder(order: PlanOrder): void;
  toggleCollapsed(key: string): void;
  setOpenLog(log: OpenLog | null): void;
  setDetail(item: ItemRef | null): void;
  setTheme(theme: ThemeChoice): void;
  setShortcutsOpen(open: boolean): void;
}

function hashParams(): URLSearchParams {
  return new URLSearchParams(globalThis.location?.hash.slice(1) ?? '');
}

function tabFromHash(): Tab {
  const name = hashParams().get('tab');
  return VIEWS.includes(name ?? '') ? (name as Tab) : 'overview';
}

/** `item=plan:<projectId>/<id>` in the fragment, so a link can open an item. */
export function itemToParam(item: ItemRef): string {
  return `${item.kind}:${item.projectId}/${item.id}`;
}

export function itemFromParam(text: string | null): ItemRef | null {
  const match = text ? /^(plan|stub|workorder):([^/]+)\/(.+)$/.exec(text) : null;
  return match ? { kind: match[1] as ItemKind, projectId: match[2]!, id: match[3]! } : null;
}

function storedTheme(): ThemeChoice {
  try {
    const value = globalThis.localStorage?.getItem(THEME_STORAGE_KEY);
    return (THEME_CHOICES as readonly string[]).includes(value ?? '') ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

export const useUi = create<UiState>()((set) => ({
  tab: tabFromHash(),
  planFilter: emptyFilter(),
  stubFilter: emptyFilter(),
  workorderFilter: emptyFilter(),
  activityFilter: emptyActivityFilter(),
  planOrder: 'tool',
  collapsed: new Set(),
  openLog: null,
  detail: itemFromParam(hashParams().get('item')),
  theme: storedTheme(),
  shortcutsOpen: false,
  setTab: (tab) => set({ tab }),
  setPlanFilter: (patch) => set((s) => ({ planFilter: { ...s.planFilter, ...patch } })),
  setStubFilter: (patch) => set((s) => ({ stubFilter: { ...s.stubFilter, ...patch } })),
  setWorkorderFilter: (patch) => set((s) => ({ workorderFilter: { ...s.workorderFilter, ...patch } })),
  setActivityFilter: (patch) => set((s) => ({ activityFilter: { ...s.activityFilter, ...patch } })),
  setPlanOrder: (planOrder) => set({ planOrder }),
  toggleCollapsed: (key) =>
    set((s) => {
      const collapsed = new Set(s.collapsed);
      if (!collapsed.delete(key)) collapsed.add(key);
      return { collapsed };
    }),
  setOpenLog: (openLog) => set({ openLog }),
  setDetail: (detail) => set({ detail }),
  setTheme: (theme) => {
    try {
      globalThis.localStorage?.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Storage may be disabled: the choice holds until the page closes.
    }
    set({ theme });
  },
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
}));
