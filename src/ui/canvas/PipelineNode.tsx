/**
 * The one node component: title, stage colour, typed handles with labels, run status
 * (progress, summary, error) and a live loss sparkline. Memoised, and subscribed only to
 * its own run record, so a progress event re-renders one node.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { getDefinition } from '../../state/catalogue';
import type { NodeRun } from '../../state/runSlice';
import { useEditor } from '../../state/store';
import type { FlowNode } from './flow-mapping';
import { Boundary } from '../Boundary';
import { Sparkline } from './Sparkline';

const STATUS_LABEL: Record<NodeRun['status'], string> = {
  idle: 'idle',
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  done: 'done',
  error: 'error',
  cancelled: 'cancelled',
  skipped: 'skipped',
  stale: 'stale',
};

/** Zoomed out, the status is one glyph before the title (and the node's colour), readable at a glance. */
const STATUS_GLYPH: Record<NodeRun['status'], string> = {
  idle: '',
  queued: '…',
  running: '⟳',
  cached: '✓',
  done: '✓',
  error: '✕',
  cancelled: '–',
  skipped: '–',
  stale: '○',
};

function NodeStatusLine({ run }: { run: NodeRun | undefined }) {
  const status = run?.status ?? 'idle';
  const loss = run?.series.loss;
  return (
    <div className={`pnode-status status-${status}`} data-testid="node-status" data-status={status}>
      {status !== 'idle' && <span className="badge">{STATUS_LABEL[status]}</span>}
      {status === 'running' && (
        <>
          <span className="message" title={run?.message}>
            {run?.message ?? ''}
          </span>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((run?.fraction ?? 0) * 100)}>
            {/* scaleX, not width: the bar moves on the compositor without re-laying out the node. */}
            <div style={{ transform: `scaleX(${(run?.fraction ?? 0).toFixed(3)})` }} />
          </div>
        </>
      )}
      {run?.restored && (
        <span className="restored" data-testid="node-restored" title={`Restored from the last run (${new Date(run.restored.at).toLocaleString()}); Run computes it again`}>
          from last run
        </span>
      )}
      {(status === 'done' || status === 'cached') && run?.summary && (
        <span className="summary" data-testid="node-summary" title={run.summary.text}>
          {run.summary.text}
        </span>
      )}
      {(status === 'done' || status === 'cached') && run?.summary?.warnings && run.summary.warnings.length > 0 && (
        <ul className="warnings" data-testid="node-warnings" aria-label="warnings">
          {run.summary.warnings.map((warning, i) => (
            <li key={i}>{warning}</li>
          ))}
        </ul>
      )}
      {status === 'error' && <span data-testid="node-error">{run?.error}</span>}
      {(status === 'skipped' || status === 'cancelled' || status === 'stale') && <span className="muted">{run?.message}</span>}
      {loss && loss.length > 1 && <Sparkline values={loss} label="training loss" />}
    </div>
  );
}

function PipelineNodeView({ id, data }: NodeProps<FlowNode>) {
  const def = getDefinition(data.type);
  const run = useEditor((s) => s.nodeRuns[id]);
  const stage = def?.stage ?? 'util';
  const title = data.label || def?.title || data.placeholder?.originalType || data.type;
  const inputs = def ? Object.entries(def.inputs) : [];
  const outputs = def ? Object.entries(def.outputs) : [];
  return (
    <div
      className={`pnode${def ? '' : ' placeholder'}${data.disabled ? ' disabled' : ''}`}
      style={{ '--stage-color': `var(--stage-${stage})` } as CSSProperties}
      data-testid={`node-${id}`}
      data-node-type={data.type}
      aria-label={`${title} node${data.disabled ? ' (disabled)' : ''}`}
      data-disabled={data.disabled ? 'true' : undefined}
    >
      <div className="pnode-header">
        <span className="title" title={title}>
          {title}
        </span>
        {data.disabled && (
          <span className="disabled-badge" data-testid="node-disabled" title="Disabled: this node and the nodes downstream of it do not run">
            disabled
          </span>
        )}
        <span className="stage">{stage}</span>
      </div>
      {/* Drawn instead of the details when zoomed out (semantic zoom, see Canvas): title and status in large type. */}
      <div className={`pnode-far status-${run?.status ?? 'idle'}`} data-testid="node-far">
        <span className="far-title">
          {/* The "disabled" badge is too small to read zoomed out: a glyph before the title says it. */}
          {data.disabled && (
            <span className="far-disabled" role="img" aria-label="disabled" title="Disabled: this node and the nodes downstream of it do not run" data-testid="node-far-disabled">
              ⊘{' '}
            </span>
          )}
          {run && run.status !== 'idle' && (
            <span className="far-status" role="img" aria-label={STATUS_LABEL[run.status]} title={STATUS_LABEL[run.status]}>
              {STATUS_GLYPH[run.status]}{' '}
            </span>
          )}
          {title}
        </span>
      </div>
      {!def && <div className="pnode-status status-error">Unknown node type “{data.placeholder?.originalType ?? data.type}”: kept, not runnable</div>}
      <div className="pnode-ports">
        <div className="col">
          {inputs.map(([name, spec]) => (
            <div className="pnode-port in" key={name}>
              <Handle
                type="target"
                position={Position.Left}
                id={name}
                className={`port port-${spec.type}`}
                data-testid={`handle-${id}-in-${name}`}
                title={`${spec.label ?? name}: ${spec.type}${spec.optional ? ' (optional)' : ''}`}
              />
              {spec.label ?? name}
            </div>
          ))}
        </div>
        <div className="col">
          {outputs.map(([name, spec]) => (
            <div className="pnode-port out" key={name}>
              {spec.label ?? name}
              <Handle
                type="source"
                position={Position.Right}
                id={name}
                className={`port port-${spec.type}`}
                data-testid={`handle-${id}-out-${name}`}
                title={`${spec.label ?? name}: ${spec.type}`}
              />
            </div>
          ))}
        </div>
      </div>
      <Boundary what="Status" compact resetKeys={[run]}>
        <NodeStatusLine run={run} />
      </Boundary>
    </div>
  );
}

export const PipelineNode = memo(PipelineNodeView);
