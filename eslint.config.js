// Lint rules, including the layering of DESIGN.md §2: the folder a file sits in says
// which runtime it may touch, and an import that crosses the line is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto',
  'stream', 'worker_threads', 'cluster', 'dgram', 'dns', 'tls', 'readline', 'process',
];
const noNodeIo = [
  { group: ['node:*'], message: 'This layer is pure: no Node I/O (DESIGN.md §2).' },
  ...nodeBuiltins.map((name) => ({ group: [name], message: 'This layer is pure: no Node I/O (DESIGN.md §2).' })),
];
const noElectron = {
  name: 'electron',
  message: "Only main/electron/ and preload/ may import 'electron' (DESIGN.md §2).",
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          ...noNodeIo,
          { group: ['../main/*', '../renderer/*', '../preload/*', '../main', '../renderer'], message: 'shared/ imports nothing of ours.' },
        ],
      }],
    },
  },
  {
    files: ['main/sources/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          ...noNodeIo,
          { group: ['../engine/*', '../server/*', '../electron/*', '../../renderer/*'], message: 'main/sources imports only shared/.' },
        ],
      }],
    },
  },
  {
    files: ['main/engine/**/*.ts', 'main/server/**/*.ts', 'main/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['../electron/*', '../../renderer/*'], message: 'The engine and server never reach into Electron or the renderer.' }],
      }],
    },
  },
  {
    files: ['main/runs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['../server/*', '../desktop/*', '../session/*', '../electron/*', '../commands/*', '../../renderer/*'], message: 'main/runs sits below the session: it imports shared/, sources, engine and store only.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          ...noNodeIo,
          { group: ['../main/*', '../../main/*', '../preload/*', '../../preload/*'], message: 'The renderer talks to the main side only through a Transport.' },
        ],
      }],
    },
  },
  {
    files: ['main/electron/**/*.ts', 'preload/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
