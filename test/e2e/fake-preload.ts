// A stand-in for the Electron preload (`window.vigil`), installed into a real Chromium page so
// the renderer runs its IPC transport and its desktop-only views without Electron (whose
// binary cannot run here). It answers like main would and records every call.
// This function is serialized into the page: it may use nothing from outside its body.
export function installFakePreload(): void {
  type Listener = (arg: unknown) => void;
  const g = globalThis as unknown as Record<string, unknown>;
  const calls: { name: string; payload: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const now = Date.now();
  const project = {
    id: 'p1',
    name: 'desk-project',
    root: '/home/me/code/desk-project',
    sources: ['speckit'],
    state: 'ok',
    watch: { backend: 'native', watchedDirs: 2, lastEventAt: now - 5000, errors: [] },
    progress: { done: 0, total: 1 },
    reported: [],
  };
  const plan = (done: number) => ({
    id: 'speckit:feature:001-desk',
    projectId: 'p1',
    source: 'speckit',
    kind: 'feature',
    title: 'Desk feature',
    status: 'in_progress',
    rawStatus: 'In Progress',
    progress: { done, total: 4 },
    path: 'specs/001-desk/tasks.md',
    parent: null,
    updatedAt: now,
  });
  let settings = {
    heartbeatMs: 1000,
    stallMinutes: 30,
    closeToTray: true,
    checkForUpdates: false,
    notifications: { enabled: true, onCritical: true, onDone: true, onFailed: true, onStall: true, onNeedsInput: true, mutedProjects: [] as string[], quietHours: null },
    lan: { enabled: false, host: '0.0.0.0', port: 4317 },
    runs: { maxConcurrent: 4, perProject: 1, stuckMinutes: 5 },
    history: { retentionDays: 90, maxEvents: 1_000_000 },
  };
  const claudePreset = { id: 'claude-code', label: 'Claude Code', origin: 'preset', argv: ['claude', '-p', '{item.path}', '--output-format', 'stream-json'], cwd: 'root', appliesTo: [], timeoutMs: null, shell: false, retries: 0 };
  let actions = { actions: [] as unknown[], presets: [{ ...claudePreset, enabled: false }] };
  let lanEnabled = false;
  let tokens = [{ id: 't1', scope: 'read', label: 'phone', createdAt: now - 86_400_000, lastUsedAt: null }];
  let channels: { id: string; type: string; name: string; target: string; enabled: boolean; kinds: string[]; projects: null; failuresInARow: number }[] = [];
  let deliveries: unknown[] = [];
  let hooks = { claude: { installed: false, problem: null as string | null }, codex: { installed: false, problem: null as string | null }, lastEvent: null };
  const ok = (data: unknown) => Promise.resolve({ ok: true, data });
  const record = (name: string, payload: unknown) => void calls.push({ name, payload });
  const request = (name: string, payload: unknown) => {
    record(name, payload);
    if (name === 'resync') return ok({ events: [] });
    if (name === 'subscribe') return ok({ projects: ['p1'], logs: [] });
    if (name === 'project:add') return ok({ projectId: 'p2' });
    // A journal with nothing in it yet.
    if (name === 'history:query') return ok({ events: [], nextBeforeSeq: null });
    if (name === 'history:burnup') return ok({ series: [] });
    if (name === 'history:throughput') return ok({ buckets: [] });
    // No run yet, and none offered: the user has not turned on an action.
    if (name === 'runs:list') return ok({ runs: [] });
    if (name === 'actions:list') return ok({ actions: [], projectFile: null });
    if (name === 'history:digest') return ok({ sinceSeq: 0, throughSeq: 0, entries: [], perProject: [], truncated: false });
    return ok({});
  };
  const desktop: Record<string, (payload: never) => Promise<unknown>> = {
    'dialog:pickFolder': (p) => (record('dialog:pickFolder', p), ok({ path: '/home/me/code/picked' })),
    'lan:get': (p) => (record('lan:get', p), ok({ enabled: lanEnabled, url: lanEnabled ? 'http://192.168.1.20:4317/#token=vigil_abc' : null, error: null })),
    'lan:set': (p: { enabled: boolean }) => {
      record('lan:set', p);
      lanEnabled = p.enabled;
      return ok({ enabled: lanEnabled, url: lanEnabled ? 'http://192.168.1.20:4317/#token=vigil_abc' : null, error: null });
    },
    'tokens:list': (p) => (record('tokens:list', p), ok(tokens)),
    'tokens:create': (p: { scope: string; label?: string }) => {
      record('tokens:create', p);
      const token = { id: `t${tokens.length + 1}`, scope: p.scope, label: p.label ?? '', createdAt: Date.now(), lastUsedAt: null };
      tokens = [...tokens, token];
      return ok({ token, secret: 'vigil_new_secret_shown_once' });
    },
    'tokens:revoke': (p: { id: string }) => {
      record('tokens:revoke', p);
      tokens = tokens.filter((t) => t.id !== p.id);
      return ok({});
    },
    'settings:get': (p) => (record('settings:get', p), ok(settings)),
    'settings:set': (p: Partial<typeof settings>) => {
      record('settings:set', p);
      settings = { ...settings, ...p };
      return ok(settings);
    },
    'channels:list': (p) => (record('channels:list', p), ok({ channels, log: deliveries })),
    'channels:add': (p: { type: string; url: string }) => {
      record('channels:add', p);
      const channel = { id: `ch${channels.length + 1}`, type: p.type, name: p.type, target: `${new URL(p.url).protocol}//${new URL(p.url).host}/…`, enabled: true, kinds: ['needs-input', 'critical', 'failed', 'done', 'stall'], projects: null, failuresInARow: 0 };
      channels = [...channels, channel];
      return ok({ channel, secret: p.type === 'webhook' ? 'whsec_shown_once' : null });
    },
    'channels:test': (p: { id: string }) => {
      record('channels:test', p);
      const entry = { at: Date.now(), channelId: p.id, channelName: p.id, title: 'Vigil: test alert', status: 'sent', httpStatus: 200, latencyMs: 12, attempt: 1, error: null };
      deliveries = [entry, ...deliveries];
      return ok(entry);
    },
    'channels:update': (p: { id: string; enabled?: boolean }) => (record('channels:update', p), ok(channels.find((c) => c.id === p.id))),
    'channels:remove': (p: { id: string }) => {
      record('channels:remove', p);
      channels = channels.filter((c) => c.id !== p.id);
      return ok({});
    },
    'hooks:status': (p) => (record('hooks:status', p), ok(hooks)),
    'hooks:install': (p) => {
      record('hooks:install', p);
      hooks = { ...hooks, claude: { installed: true, problem: null } };
      return ok(hooks);
    },
    'hooks:uninstall': (p) => {
      record('hooks:uninstall', p);
      hooks = { ...hooks, claude: { installed: false, problem: null } };
      return ok(hooks);
    },
    'actions:get': (p) => (record('actions:get', p), ok(actions)),
    'actions:set': (p: { presets?: string[] }) => {
      record('actions:set', p);
      if (p.presets) actions = { ...actions, presets: actions.presets.map((preset) => ({ ...preset, enabled: p.presets!.includes(preset.id) })) };
      return ok(actions);
    },
    'actions:file': (p) => (record('actions:file', p), ok({ state: { state: 'none', path: '.vigil/actions.json', message: null, count: 0 }, actions: [] })),
    'actions:trust': (p) => (record('actions:trust', p), ok({ root: project.root, sha256: '0'.repeat(64), count: 0 })),
    'item:reveal': (p) => (record('item:reveal', p), ok({})),
    'item:open': (p) => (record('item:open', p), ok({})),
  };
  const on = new Proxy(
    {},
    {
      get: (_t, event: string) => (listener: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)!.delete(listener);
      },
    },
  );
  g.vigil = {
    hello: () =>
      Promise.resolve({
        protocol: 1,
        serverTime: Date.now(),
        seq: 3,
        recent: [],
        snapshot: {
          seq: 3,
          running: true,
          projects: [project],
          plans: [plan(1)],
          stubs: [],
          workorders: [],
          issues: [],
          health: { level: 'ok', since: now - 60_000, conditions: [] },
          throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null },
          activity: [],
          heartbeat: { tick: 1, latencyMs: 0.4, driftMs: 0.1, running: true, ts: now },
          agents: [],
          runs: [],
          batches: [],
        },
      }),
    request,
    desktop,
    on,
  };
  g.__fakePreload = {
    calls,
    emit: (event: string, arg: unknown) => listeners.get(event)?.forEach((l) => l(arg)),
    planEvent: (seq: number, done: number) => ({ seq, ts: Date.now(), type: 'plan:updated', payload: { plan: plan(done) } }),
  };
}

/** Runs in the page: the calls the renderer made. */
export function fakeCalls(): { name: string; payload: unknown }[] {
  return ((globalThis as unknown as Record<string, { calls: { name: string; payload: unknown }[] }>).__fakePreload!).calls;
}
