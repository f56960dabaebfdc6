/** "Open monitor": from a Deploy or Monitor node to its endpoint in the full-size Serving view. */
import { editorStore, useEditor } from '../../state/store';
import type { EditorState } from '../../state/storeTypes';

const DEPLOY = 'deploy.endpoint';
const MONITOR = 'monitor.endpoint';

/** The endpoint a Deploy node serves, or the one a Monitor node watches (through its Deploy input). */
export function endpointOfNode(state: Pick<EditorState, 'nodes' | 'edges'>, nodeId: string): string | null | undefined {
  const node = state.nodes.find((n) => n.id === nodeId);
  if (node?.type === DEPLOY) return typeof node.params.name === 'string' && node.params.name ? node.params.name : null;
  if (node?.type === MONITOR) {
    const wire = state.edges.find((e) => e.to.node === nodeId && e.to.port === 'endpoint');
    return wire ? endpointOfNode(state, wire.from.node) : null;
  }
  return undefined;
}

export function OpenServingButton({ nodeId }: { nodeId: string }) {
  const endpoint = useEditor((s) => endpointOfNode(s, nodeId));
  if (endpoint === undefined) return null;
  return (
    <button
      className="open-serving"
      data-testid="open-monitor"
      disabled={endpoint === null}
      title={endpoint ? `Open endpoint “${endpoint}” in the Serving view: versions, predict, batch scoring, replay, monitor` : 'Connect a Deploy node with an endpoint name first'}
      onClick={() => endpoint && editorStore.getState().openServing(endpoint)}
    >
      Open monitor ↗
    </button>
  );
}
