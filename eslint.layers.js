// The layers as an allow-list (eslint-plugin-boundaries): each folder is an element type, and
// an import from one element to another is an error unless the rules below allow it. How the
// layers are meant, and why, is in docs/architecture.md. test/main/layers.test.ts lints a
// folder with one forbidden import per rule and checks that each is reported.
import boundaries from 'eslint-plugin-boundaries';

/** The element types, by folder. */
const elements = [
  { type: 'shared', pattern: 'shared/**', partialMatch: false },
  { type: 'sources', pattern: 'main/sources/**', partialMatch: false },
  // The engine and its peers below the session: each may use the others.
  { type: 'core', pattern: 'main/{engine,store,runs,agents,notify}/**', partialMatch: false },
  { type: 'session', pattern: 'main/session/**', partialMatch: false },
  { type: 'server', pattern: 'main/server/**', partialMatch: false },
  { type: 'desktop', pattern: 'main/desktop/**', partialMatch: false },
  { type: 'demo', pattern: 'main/demo/**', partialMatch: false },
  { type: 'electron', pattern: 'main/electron/**', partialMatch: false },
  { type: 'commands', pattern: 'main/commands/**', partialMatch: false },
  { type: 'preload', pattern: 'preload/**', partialMatch: false },
  { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
];

const shared = ['shared'];

/** Element types `from` may import; `dependency` narrows which imports (a kind, a source). */
const may = (from, to, dependency) => ({
  from: { element: { type: from } },
  allow: { to: { element: { types: { anyOf: to } } }, ...(dependency ? { dependency } : {}) },
});

/** What each element may import; anything else is an error. */
const policies = [
  may('shared', shared),
  may('sources', [...shared, 'sources']),
  may('core', [...shared, 'sources', 'core']),
  may('session', [...shared, 'sources', 'core', 'session']),
  // The server and the desktop logic adapt the session; never each other.
  may('server', [...shared, 'sources', 'core', 'session', 'server']),
  may('desktop', [...shared, 'core', 'session', 'desktop']),
  may('demo', [...shared, 'core', 'demo']),
  // The composition roots: they wire everything in main together.
  may('electron', [...shared, 'sources', 'core', 'session', 'server', 'desktop', 'demo', 'electron']),
  may('commands', [...shared, 'sources', 'core', 'session', 'server', 'desktop', 'demo', 'commands']),
  // The sandboxed preload may load nothing but 'electron' and the channel names at run time.
  may('preload', ['shared'], { source: '../shared/ipc-channels' }),
  may('preload', ['shared'], { kind: 'type' }),
  may('renderer', ['shared', 'renderer']),
];

export const layers = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies }],
    },
  },
];
