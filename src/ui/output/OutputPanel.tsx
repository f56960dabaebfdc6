/** The selected node's last output (engine.views) and, while it trains, its live curves. */
import { lazy, Suspense, useContext, useEffect, useMemo, useState } from 'react';
import type { NodeViews } from '../../runtime/protocol';
import { documentToGraph } from '../../state/convert';
import { getEngine } from '../../state/engine';
import { editorStore, selectedNodeId, useContentVersion, useEditor } from '../../state/store';
import { Boundary } from '../Boundary';
import { OutputPanelContext } from '../layoutContext';
import { OpenServingButton } from '../serving/OpenServing';
import { errorMessage } from '../../engine/errors';

// Output views (tables, charts, uPlot) load with the first result shown, not with the page.
const OutputViewBlock = lazy(() => import('./views').then((m) => ({ default: m.OutputViewBlock })));
const SeriesView = lazy(() => import('./views').then((m) => ({ default: m.SeriesView })));

function LiveCurves({ nodeId }: { nodeId: string }) {
  const series = useEditor((s) => s.nodeRuns[nodeId]?.series);
  const running = useEditor((s) => s.nodeRuns[nodeId]?.status === 'running');
  const lines = useMemo(() => {
    if (!series) return [];
    const xs = series.epoch ?? series.step;
    return Object.entries(series)
      .filter(([name, values]) => name !== 'epoch' && name !== 'step' && values.length > 1)
      .map(([name, values]) => ({ name, points: values.map((v, i): [number, number] => [xs?.[i] ?? i + 1, v]) }));
  }, [series]);
  if (!running || !lines.length) return null;
  return (
    <Suspense fallback={null}>
      <SeriesView title="Live training" x={series?.epoch ? 'epoch' : 'step'} series={lines} testId="live-curves" />
    </Suspense>
  );
}

function NodeOutput({ nodeId }: { nodeId: string }) {
  // Refetch when this node's status changes (it finished, was cached, failed), not whenever
  // any node of the run finishes: re-rendering a big table for nothing is a long task.
  const status = useEditor((s) => s.nodeRuns[nodeId]?.status ?? 'idle');
  // A run that takes the node from done to done between two repaints changes only the run id.
  const runId = useEditor((s) => s.runId);
  const error = useEditor((s) => s.nodeRuns[nodeId]?.error);
  // ...and when its params, inputs or seed change: the result of older params must not show.
  const content = useContentVersion();
  const [result, setResult] = useState<{ nodeId: string; found: NodeViews | null; error?: string } | null>(null);
  useEffect(() => {
    let alive = true;
    // This graph's result for the node, under its current cache key (never another graph's).
    const graph = documentToGraph(editorStore.getState());
    getEngine()
      .then((engine) => engine.views(graph, nodeId))
      .then((found) => alive && setResult({ nodeId, found }))
      .catch((e: unknown) => alive && setResult({ nodeId, found: null, error: errorMessage(e) }));
    return () => {
      alive = false;
    };
  }, [nodeId, status, runId, content]);
  const found = result?.nodeId === nodeId ? result.found : null;
  const views = found?.views;
  return (
    <div data-testid="node-output" data-state={result?.nodeId === nodeId ? 'loaded' : 'loading'}>
      <Boundary what="Live training curves">
        <LiveCurves nodeId={nodeId} />
      </Boundary>
      {status === 'error' && <p className="error-text">Error: {error}</p>}
      {found?.restored && status !== 'running' && (
        <p className="muted" data-testid="output-restored">
          From the last run ({new Date(found.restored.at).toLocaleString()}): Run computes it again.
        </p>
      )}
      {views?.length ? (
        <div className="views">
          {views.map((view, i) => (
            <Boundary key={`${view.kind}-${i}`} what={`The ${view.kind} view`} resetKeys={[view]}>
              <Suspense fallback={<p className="muted">Loading…</p>}>
                <OutputViewBlock view={view} nodeId={nodeId} />
              </Suspense>
            </Boundary>
          ))}
        </div>
      ) : (
        status !== 'running' && <p className="muted">{result?.error ? `No output: ${result.error}` : 'No output yet: run the pipeline (or “Run to here”).'}</p>
      )}
    </div>
  );
}

export function OutputPanel() {
  const nodeId = useEditor(selectedNodeId);
  const [localOpen, setLocalOpen] = useState(true);
  // Inside the resizable layout, collapsing shrinks the panel that holds this one.
  const control = useContext(OutputPanelContext);
  const open = control ? control.open : localOpen;
  const setOpen = control ? control.setOpen : setLocalOpen;
  return (
    <section className={`output${open ? '' : ' collapsed'}`} aria-label="Output" data-testid="output-panel">
      <header>
        <button aria-expanded={open} aria-label={open ? 'Collapse output panel' : 'Expand output panel'} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        <b>Output</b>
        <span className="muted">{nodeId ? nodeId : 'select a node to see its output'}</span>
        {nodeId && <OpenServingButton nodeId={nodeId} />}
      </header>
      {open && nodeId && (
        <Boundary what={`The output of “${nodeId}”`} resetKeys={[nodeId]}>
          <NodeOutput key={nodeId} nodeId={nodeId} />
        </Boundary>
      )}
    </section>
  );
}
