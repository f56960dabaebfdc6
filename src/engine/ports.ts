/**
 * Port types: what flows on an edge. An output connects to an input only when
 * their types are equal (see `canConnect`). The UI colours handles by type.
 */
export const PORT_TYPES = ['table', 'dataset', 'model-spec', 'model', 'metrics', 'endpoint'] as const;
export type PortType = (typeof PORT_TYPES)[number];

export interface PortSpec<T extends PortType = PortType> {
  type: T;
  /** Label shown on the handle; defaults to the port name. */
  label?: string;
  /** Inputs only: a run fails validation when a required input is not connected. */
  optional?: boolean;
}

/** Generic in the port type so `run` sees `inputs.x` typed by what its port carries. */
export function port<T extends PortType>(type: T, options: Omit<PortSpec, 'type'> = {}): PortSpec<T> {
  return { type, ...options };
}

/** Whether an output of type `from` may feed an input of type `to`. */
export function canConnect(from: PortType, to: PortType): boolean {
  return from === to;
}
