import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
      // Nodes reach tfjs through src/nodes/tf.ts (injected by the runtime), never by a value import,
      // so the catalogue (titles, ports, params) can load on the main thread without tfjs.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tensorflow/*'], allowTypeImports: true, message: 'use tf() from src/nodes/tf.ts' }, { group: ['react', 'react-dom'], message: 'nodes never import React' }] },
      ],
    },
  },
);
