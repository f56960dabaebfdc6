import type { AnyNodeDefinition, AnyNodeSpec, Stage } from './node';
import { checkParam } from './params';

/**
 * Node types by type name. `NodeRegistry` (specs) is what the editor, validation, the graph
 * file and cache keys read; `NodeRegistry<AnyNodeDefinition>` (specs with their
 * implementations) is what executes, one per process (worker, CLI) or per test.
 */
export class NodeRegistry<D extends AnyNodeSpec = AnyNodeSpec> {
  private readonly byType = new Map<string, D>();

  constructor(defs: readonly D[] = []) {
    for (const def of defs) this.register(def);
  }

  register(def: D): void {
    if (this.byType.has(def.type)) throw new Error(`Node type "${def.type}" is already registered`);
    for (const [name, spec] of Object.entries(def.params)) {
      const problem = checkParam(spec, spec.default);
      if (problem) throw new Error(`Node type "${def.type}": default of param "${name}" ${problem}`);
    }
    this.byType.set(def.type, def);
  }

  get(type: string): D | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  list(): D[] {
    return [...this.byType.values()];
  }

  byStage(): Map<Stage, D[]> {
    const groups = new Map<Stage, D[]>();
    for (const def of this.byType.values()) {
      const group = groups.get(def.stage) ?? [];
      group.push(def);
      groups.set(def.stage, group);
    }
    return groups;
  }
}

/** The registry nodes execute from: every spec with its implementation. */
export type ImplementedRegistry = NodeRegistry<AnyNodeDefinition>;
