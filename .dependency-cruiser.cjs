/**
 * `npm run lint:deps`: no import cycles in src/, type-only imports included (which layer may
 * import which is the lint rule in eslint.config.js, boundaries/dependencies).
 * One exception: the zustand store's slices name the whole store's type, which is the union
 * of the slices' types (the slice pattern); those type-only references stay inside src/state.
 */
const STORE_TYPES = '^src/state/(storeTypes|[a-z]+Slice)[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other in a circle: move what both need into the lower one.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      severity: 'error',
      comment: 'A cycle through type imports: move the shared type into the lower module.',
      from: { pathNot: STORE_TYPES },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
