/** The selected node's form, generated from its params declaration, and its validation problems. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { documentToGraph } from '../../state/convert';
import { getDefinition } from '../../state/catalogue';
import type { StoredDatasetMeta } from '../../engine/services';
import type { ParseParamValues } from '../../catalog/data/parse';
import { getEngine } from '../../state/engine';
import { getStores } from '../../state/stores';
import { DATA_FILE_EXTENSIONS, DATA_FILE_NODE, fillDataFileNode, pickedFileName } from '../../state/files';
import { validate, type EngineProblem } from '../../state/graphFile';
import type { GraphNode } from '../../engine/graph';
import { editorStore, selectedCount, selectedNodeId, useContentVersion, useEditor, useEditorShallow, validatedPartChanged } from '../../state/store';
import { defaultParams } from '../../engine/params';
import { Boundary } from '../Boundary';
import { ParamField, type ColumnInfo } from './ParamField';

/** The upstream node/port feeding `input` of `nodeId`, if connected. */
function useUpstream(nodeId: string, input: string | undefined): { node: string; port: string } | null {
  const source = useEditor((s) => {
    const edge = s.edges.find((e) => e.to.node === nodeId && e.to.port === input);
    return edge ? `${edge.from.node}\u0000${edge.from.port}` : null;
  });
  return useMemo(() => {
    if (!source) return null;
    const [node, port] = source.split('\u0000');
    return { node, port };
  }, [source]);
}

function useColumns(upstream: { node: string; port: string } | null): ColumnInfo[] | null | undefined {
  // Refetch when the upstream node finishes (its status changes), not on every finished node
  // of a run: the whole form re-rendering at each step would lengthen run-event tasks.
  const version = useEditor((s) => (upstream ? `${s.nodeRuns[upstream.node]?.status ?? 'idle'} ${s.runId}` : ''));
  // Also when the graph's content changes: only columns of upstream results that are current count.
  const content = useContentVersion();
  const [columns, setColumns] = useState<{ key: string; list: ColumnInfo[] | null } | null>(null);
  const key = upstream ? `${upstream.node}.${upstream.port}` : '';
  useEffect(() => {
    if (!upstream) return;
    let alive = true;
    const graph = documentToGraph(editorStore.getState());
    getEngine()
      .then((engine) => engine.columns(graph, upstream.node, upstream.port || undefined))
      .then((list) => alive && setColumns({ key, list }))
      .catch(() => alive && setColumns({ key, list: null }));
    return () => {
      alive = false;
    };
  }, [upstream, key, version, content]);
  if (!upstream) return null;
  // undefined while the list is on its way (the form says so in data-columns, for tests).
  return columns?.key === key ? columns.list : undefined;
}

/**
 * The node's validation problems, recomputed (debounced) when the graph's content changes.
 * Subscribed outside React's render: a drag changes `nodes` every frame, and re-rendering
 * the form (or re-validating) per frame would be wasted work on the drag path.
 */
function useProblems(nodeId: string): EngineProblem[] {
  const [problems, setProblems] = useState<EngineProblem[]>([]);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        validate(documentToGraph(editorStore.getState()))
          .then((all) => alive && setProblems(all.filter((p) => p.nodeId === nodeId)))
          .catch(() => alive && setProblems([]));
      }, 150);
    };
    schedule();
    const unsubscribe = editorStore.subscribe((state, prev) => {
      if (validatedPartChanged(state, prev)) schedule();
    });
    return () => {
      alive = false;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [nodeId]);
  return problems;
}

/**
 * The stored copy a `data.file` node reads by content hash: its metadata, null when there is
 * none (not stored yet, or deleted), undefined while looking. Looked up again when the node
 * runs and when the stored datasets change.
 */
function useStoredCopy(nodeId: string, hash: string, params: Record<string, unknown>): StoredDatasetMeta | null | undefined {
  const status = useEditor((s) => s.nodeRuns[nodeId]?.status ?? 'idle');
  const library = useEditor((s) => s.libraryVersion);
  // The key hashes the parse options with code loaded on first use (stored-copy.ts), so the
  // lookup is keyed here by what the key is made of.
  const { format, delimiter, header, typeOverrides } = params;
  const [found, setFound] = useState<{ reading: readonly unknown[]; meta: StoredDatasetMeta | null } | null>(null);
  useEffect(() => {
    if (!hash) return;
    const reading = [hash, format, delimiter, header, typeOverrides];
    let alive = true;
    import('../../catalog/data/stored-copy')
      .then(({ storedCopyKey }) => {
        let key: string;
        try {
          key = storedCopyKey(hash, { format, delimiter, header, typeOverrides } as ParseParamValues);
        } catch {
          return; // Invalid type overrides: the form shows that problem; there is no copy to look for.
        }
        return getStores()
          .then((stores) => stores.datasets.findByHash(key))
          .then((meta) => alive && setFound({ reading, meta: meta ?? null }))
          .catch(() => alive && setFound({ reading, meta: null }));
      })
      .catch(() => alive && setFound({ reading, meta: null }));
    return () => {
      alive = false;
    };
  }, [hash, format, delimiter, header, typeOverrides, status, library]);
  const current = [hash, format, delimiter, header, typeOverrides];
  return hash && found && found.reading.every((value, i) => value === current[i]) ? found.meta : undefined;
}

/** A `data.file` node's file: "Choose file…" hands the File to the engine and sets the token and content hash. */
function FilePicker({ nodeId, params }: { nodeId: string; params: Record<string, unknown> }) {
  const input = useRef<HTMLInputElement>(null);
  const token = String(params.token ?? '');
  const hash = String(params.hash ?? '');
  const stored = useStoredCopy(nodeId, hash, params);
  const name = (token ? pickedFileName(token) : undefined) ?? stored?.name;
  const gone = hash !== '' && stored === null && !(token && pickedFileName(token));
  let note: string | null = null;
  if (gone) note = 'its stored copy is gone (deleted from Datasets): choose the file again';
  else if (stored) note = `stored copy: ${stored.rowCount} rows × ${stored.columns.length} cols`;
  else if (hash && stored === null) note = 'stored when the node first runs';
  return (
    <div className="field" data-testid="file-picker">
      <label>Picked file</label>
      <div className="row">
        <button type="button" onClick={() => input.current?.click()} data-testid="choose-file">
          Choose file…
        </button>
        <span className={name || !token ? 'muted' : 'warning-text'} data-testid="picked-file-name">
          {name ?? (token ? 'picked in an earlier session: choose it again' : 'none (or give a path)')}
        </span>
      </div>
      {note && (
        <div className={gone ? 'warning-text' : 'muted'} data-testid="stored-copy">
          {note}
        </div>
      )}
      <input
        ref={input}
        type="file"
        hidden
        accept={[...DATA_FILE_EXTENSIONS, 'text/csv', 'text/tab-separated-values', 'application/json'].join(',')}
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void fillDataFileNode(nodeId, file);
        }}
      />
    </div>
  );
}

/**
 * The fields of node `nodeId` the form shows, compared field by field so that moving the node
 * (a new node object every drag frame) does not re-render the form.
 */
function useNodeData(nodeId: string | null): Pick<GraphNode, 'type' | 'params' | 'label' | 'placeholder'> | undefined {
  return useEditorShallow((s) => {
    const node = nodeId ? s.nodes.find((n) => n.id === nodeId) : undefined;
    return node && { type: node.type, params: node.params, label: node.label, placeholder: node.placeholder };
  });
}

function NodeForm({ nodeId }: { nodeId: string }) {
  const data = useNodeData(nodeId);
  const def = data ? getDefinition(data.type) : undefined;
  const paramEntries = def ? Object.entries(def.params) : [];
  const firstInput = def ? Object.keys(def.inputs)[0] : undefined;
  // Column pickers read the input named by `fromInput`, else the first input.
  const columnInput = (paramEntries.find(([, s]) => (s.kind === 'column' || s.kind === 'columns') && s.fromInput)?.[1] as { fromInput?: string } | undefined)?.fromInput ?? firstInput;
  const upstream = useUpstream(nodeId, columnInput);
  const columns = useColumns(upstream);
  const problems = useProblems(nodeId);
  if (!data) return null;
  // Read with defaults under the stored values, as the engine runs it (a param the graph left out is not undefined).
  const crossProblems = (def && def.check?.({ ...defaultParams(def.params), ...data.params } as never)) ?? {};

  return (
    <div data-testid="inspector-form" data-columns={columns === undefined ? 'loading' : columns === null ? 'none' : columns.length}>
      <h2>{def?.title ?? data.type}</h2>
      <div className="muted" style={{ marginBottom: 6 }}>
        <code>{nodeId}</code> · {data.type}
      </div>
      {def?.description && <p style={{ margin: '0 0 8px' }}>{def.description}</p>}
      <div className="field">
        <label htmlFor="node-label">Label</label>
        <input
          id="node-label"
          key={`${nodeId}-${data.label ?? ''}`}
          defaultValue={data.label ?? ''}
          placeholder={def?.title}
          onBlur={(e) => e.target.value !== (data.label ?? '') && editorStore.getState().setNodeLabel(nodeId, e.target.value)}
        />
      </div>
      {problems.length > 0 && (
        <div className="problems" data-testid="node-problems" role="alert">
          <ul>
            {problems.map((p, i) => (
              <li key={i} className={p.level === 'error' ? 'error-text' : 'warning-text'}>
                {p.param ? <b>{p.param}: </b> : null}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!def && <p className="error-text">Unknown node type: {data.placeholder?.reason ?? 'not in this build'}.</p>}
      {paramEntries.map(([name, spec]) =>
        data.type === DATA_FILE_NODE && name === 'hash' ? null : data.type === DATA_FILE_NODE && name === 'token' ? (
          <FilePicker key={`${nodeId}.${name}`} nodeId={nodeId} params={{ ...Object.fromEntries(paramEntries.map(([n, spec]) => [n, spec.default])), ...data.params }} />
        ) : (
          <ParamField
            key={`${nodeId}.${name}`}
            name={name}
            spec={spec}
            value={name in data.params ? data.params[name] : spec.default}
            columns={spec.kind === 'column' || spec.kind === 'columns' ? (columns ?? null) : null}
            crossProblem={crossProblems[name]}
            onCommit={(value) => editorStore.getState().setParam(nodeId, name, value)}
          />
        ),
      )}
      {def && paramEntries.length === 0 && <p className="muted">This node has no settings.</p>}
    </div>
  );
}

function GraphForm() {
  const seed = useEditor((s) => s.seed);
  const count = useEditor((s) => s.nodes.length);
  const selected = useEditor(selectedCount);
  return (
    <div>
      <h2>Pipeline</h2>
      <p className="muted">{selected > 1 ? `${selected} nodes selected.` : `${count} nodes. Select a node to edit its settings.`}</p>
      <div className="field">
        <label htmlFor="graph-seed">Seed (splits, initial weights, shuffling)</label>
        <input
          id="graph-seed"
          key={seed}
          defaultValue={seed}
          inputMode="numeric"
          onBlur={(e) => {
            const value = Number(e.target.value);
            if (Number.isInteger(value) && value >= 0) editorStore.getState().setSeed(value);
            else {
              editorStore.getState().toast('error', 'The seed must be a whole number ≥ 0');
              e.target.value = String(seed);
            }
          }}
        />
      </div>
    </div>
  );
}

export function Inspector() {
  const nodeId = useEditor(selectedNodeId);
  // A form that failed tries again when another node is selected or this one's params change (undo, paste).
  const data = useNodeData(nodeId);
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      <Boundary what={nodeId ? `The settings of “${nodeId}”` : 'The pipeline settings'} resetKeys={[nodeId, data]}>
        {nodeId ? <NodeForm key={nodeId} nodeId={nodeId} /> : <GraphForm />}
      </Boundary>
    </aside>
  );
}
