import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ParamValues } from '../engine/params';
import { ALL_NODES, createRegistry } from '../nodes';
import { ALL_SPECS, createCatalog } from '.';
import type { trainSpec } from './train/train';

describe('node catalog (specs) and implementations', () => {
  it('lists every spec once, with valid defaults, and holds no run code', () => {
    const catalog = createCatalog();
    expect(catalog.list().map((spec) => spec.type)).toEqual(ALL_SPECS.map((spec) => spec.type));
    for (const spec of ALL_SPECS) {
      expect(spec, spec.type).not.toHaveProperty('run');
      expect(spec, spec.type).not.toHaveProperty('summarize');
      expect(spec, spec.type).not.toHaveProperty('cacheSalt');
    }
  });

  it('registers one implementation per spec, in catalog order, built from that spec', () => {
    const registry = createRegistry();
    expect(registry.list().map((def) => def.type)).toEqual(ALL_SPECS.map((spec) => spec.type));
    for (const spec of ALL_SPECS) {
      const def = registry.get(spec.type)!;
      expect(typeof def.run, spec.type).toBe('function');
      for (const key of ['version', 'title', 'stage', 'inputs', 'outputs', 'params', 'deterministic', 'migrate', 'check'] as const) {
        expect(def[key], `${spec.type}.${key}`).toBe(spec[key]);
      }
    }
    expect(ALL_NODES).toHaveLength(ALL_SPECS.length);
  });

  it('types a select param as its options', () => {
    expectTypeOf<ParamValues<typeof trainSpec.params>['task']>().toEqualTypeOf<'auto' | 'classification' | 'regression'>();
    expectTypeOf<ParamValues<typeof trainSpec.params>['epochs']>().toEqualTypeOf<number>();
  });
});
