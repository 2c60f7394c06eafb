// Lint rules. Which folder may import which is an allow-list in eslint.layers.js; the rules here
// say which runtime a folder may touch: only main/electron/ and preload/ import 'electron', and
// the pure layers (shared/, main/sources/, renderer/) do no Node I/O. docs/architecture.md says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { layers } from './eslint.layers.js';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto',
  'stream', 'worker_threads', 'cluster', 'dgram', 'dns', 'tls', 'readline', 'process',
];
const noNodeIo = [
  { group: ['node:*'], message: 'This layer is pure: no Node I/O (docs/architecture.md).' },
  ...nodeBuiltins.map((name) => ({ group: [name], message: 'This layer is pure: no Node I/O (docs/architecture.md).' })),
];
const noElectron = {
  name: 'electron',
  message: "Only main/electron/ and preload/ may import 'electron' (docs/architecture.md).",
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...layers,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['shared/**/*.ts', 'main/sources/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: noNodeIo }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: noNodeIo }] },
  },
  {
    files: ['main/electron/**/*.ts', 'preload/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
