/**
 * The params a node actually runs with: migrated from the version they were saved for,
 * with defaults filled in for params the saved node does not mention (a param added later).
 */
import type { GraphNode } from './graph';
import { errorMessage } from './errors';
import type { AnyNodeSpec } from './node';

export type ResolvedParams =
  | { ok: true; params: Record<string, unknown>; migratedFrom?: number }
  | { ok: false; message: string };

export function resolveNodeParams(node: GraphNode, def: AnyNodeSpec): ResolvedParams {
  const savedVersion = node.version ?? def.version;
  if (savedVersion > def.version) {
    return {
      ok: false,
      message: `was saved by a newer version (v${savedVersion}) of "${def.type}"; this app knows v${def.version}`,
    };
  }
  let params: Record<string, unknown> = { ...node.params };
  let migratedFrom: number | undefined;
  if (savedVersion < def.version && def.migrate) {
    try {
      params = { ...def.migrate(structuredClone(node.params), savedVersion) };
      migratedFrom = savedVersion;
    } catch (error) {
      return { ok: false, message: `could not migrate params from v${savedVersion}: ${errorMessage(error)}` };
    }
  }
  for (const [name, spec] of Object.entries(def.params)) {
    if (!(name in params)) params[name] = structuredClone(spec.default);
  }
  return migratedFrom === undefined ? { ok: true, params } : { ok: true, params, migratedFrom };
}

/** Only declared params: an unknown leftover param never changes what a node computes. */
export function declaredParams(def: AnyNodeSpec, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(def.params)) out[name] = params[name];
  return out;
}
