import type { AnyNodeDefinition, Stage } from './node';
import { checkParam } from './params';

/** The catalogue of node types. One per process (worker, CLI) or per test. */
export class NodeRegistry {
  private readonly byType = new Map<string, AnyNodeDefinition>();

  constructor(defs: readonly AnyNodeDefinition[] = []) {
    for (const def of defs) this.register(def);
  }

  register(def: AnyNodeDefinition): void {
    if (this.byType.has(def.type)) throw new Error(`Node type "${def.type}" is already registered`);
    for (const [name, spec] of Object.entries(def.params)) {
      const problem = checkParam(spec, spec.default);
      if (problem) throw new Error(`Node type "${def.type}": default of param "${name}" ${problem}`);
    }
    this.byType.set(def.type, def);
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  list(): AnyNodeDefinition[] {
    return [...this.byType.values()];
  }

  byStage(): Map<Stage, AnyNodeDefinition[]> {
    const groups = new Map<Stage, AnyNodeDefinition[]>();
    for (const def of this.byType.values()) {
      const group = groups.get(def.stage) ?? [];
      group.push(def);
      groups.set(def.stage, group);
    }
    return groups;
  }
}
