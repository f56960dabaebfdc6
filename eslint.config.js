import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers, top to bottom, written once: a module may import its own layer and any layer
 * below it, never one above (README "How it is built"). `ui-serving` (the endpoint views,
 * loaded lazily) is the only part of the editor that may import src/serving; the editor
 * (ui, state) never imports node implementations or src/ml: it reads specs from src/catalog.
 * Other layers on one row do not import each other. Tests and test helpers may reach anywhere.
 */
const LAYERS = [
  ['ui', 'ui-serving'],
  ['state'],
  ['cli', 'serving-browser'],
  ['runtime'],
  ['storage'],
  ['nodes'],
  ['serving'],
  ['ml'],
  ['auto'],
  ['catalog'],
  ['data'],
  ['engine'],
  ['port-types'],
];
const ELEMENTS = [
  { type: 'ui-serving', pattern: 'src/ui/serving' },
  { type: 'ui', pattern: 'src/ui' },
  { type: 'state', pattern: 'src/state' },
  { type: 'cli', pattern: 'src/cli' },
  { type: 'serving-browser', pattern: 'src/serving/browser' },
  { type: 'runtime', pattern: 'src/runtime' },
  { type: 'storage', pattern: 'src/storage' },
  { type: 'nodes', pattern: 'src/nodes' },
  { type: 'serving', pattern: 'src/serving' },
  { type: 'ml', pattern: 'src/ml' },
  { type: 'auto', pattern: 'src/auto' },
  { type: 'catalog', pattern: 'src/catalog' },
  { type: 'engine', pattern: 'src/engine' },
  // What flows on edges (Table, Dataset, TrainedModel…): the engine's port types name them.
  { type: 'port-types', pattern: 'src/data/types' },
  { type: 'data', pattern: 'src/data' },
];
const EDITOR_NEVER = ['nodes', 'ml', 'cli'];
const layerPolicies = LAYERS.flatMap((row, rank) =>
  row.map((type) => {
    const below = LAYERS.slice(rank + 1).flat();
    let allowed = [type, ...below];
    if (type === 'ui' || type === 'ui-serving' || type === 'state') allowed = allowed.filter((t) => !EDITOR_NEVER.includes(t));
    if (type === 'ui') allowed = allowed.filter((t) => t !== 'serving' && t !== 'serving-browser').concat('ui-serving');
    if (type === 'ui-serving') allowed.push('ui');
    return { from: { element: { type } }, allow: { to: { element: { types: { anyOf: allowed } } } } };
  }),
);

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/results*', 'public', '.gpu'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The main thread never loads tfjs: keep it in the worker chunk.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tensorflow/*'], message: 'tfjs runs in the worker only' }] }],
    },
  },
  {
    // The engine runs unchanged in Node, the worker and tests: no framework, storage or tfjs.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['react', 'react-dom', '@xyflow/*', 'dexie', '@tensorflow/*', '../ui/*', '../state/*', '../runtime/*', '../storage/*', '../nodes/*'], message: 'src/engine stays pure' }] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB'],
    },
  },
  {
    // The automatic pipeline builder is shared by the editor and the CLI: data and engine only.
    files: ['src/auto/**/*.ts'],
    ignores: ['src/auto/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['react', 'react-dom', '@xyflow/*', 'dexie', '@tensorflow/*', '../ui/*', '../state/*', '../runtime/*', '../storage/*', '../nodes/*', '../ml/*', '../cli/*'], message: 'src/auto stays pure (data and engine only)' }] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB'],
    },
  },
  {
    files: ['src/nodes/**/*.ts'],
    rules: {
      // Nodes reach tfjs through src/ml/tf.ts (injected by the runtime), never by a value import.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tensorflow/*'], allowTypeImports: true, message: 'use tf() from src/ml/tf.ts' }, { group: ['react', 'react-dom'], message: 'nodes never import React' }] },
      ],
    },
  },
  {
    // Specs are data: the editor loads every one of them on the main thread.
    files: ['src/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tensorflow/*', 'react', 'react-dom'], message: 'src/catalog holds specs as data (no tfjs, no React)' }] }],
    },
  },
  {
    // Imports point down the layers (LAYERS above); a test proves the rule reports an upward import.
    files: ['src/**/*.{ts,tsx}'],
    // src/main.tsx is the entry above every layer.
    ignores: ['src/main.tsx', '**/*.test.{ts,tsx}', '**/testing.ts', '**/testing/**', 'src/ml/test-helpers.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
      'boundaries/elements': ELEMENTS,
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies }],
    },
  },
);
