/**
 * The React Flow canvas: typed connections refused with a visible reason, drop from the
 * palette or a graph file, double-click to quick-add, minimap, zoom controls, auto-layout.
 */
import {
  Background,
  Controls,
  ControlButton,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type ReactFlowState,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type NodeTypes,
  type Viewport,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { importGraphFile, pasteText, runGraph } from '../../state/actions';
import { addDataFileNode, DATA_FILE_NODE, fillDataFileNode, isDataFileName, isGraphFile } from '../../state/files';
import { connectionProblem } from '../../state/catalogue';
import { editorStore, selectedCount, selectedNodeId, useEditor } from '../../state/store';
import { createEdgeMapper, createNodeMapper, type FlowEdge, type FlowNode, type Size } from './flow-mapping';
import { PipelineNode } from './PipelineNode';
import { DETAIL_MIN_ZOOM } from './fit';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { autoLayout, fitGraph, MINIMAP_SIZE, revealNode, toggleMinimap, viewportShowsAll, type Flow, type FlowStore } from './view';
import { EmptyCanvas } from './EmptyCanvas';

/** Defined once at module level so React Flow never re-creates node components. */
const nodeTypes: NodeTypes = { pipeline: PipelineNode };

/*
 * Object and array props of <ReactFlow> live at module level: React Flow copies each one
 * into its store when its identity changes, and every edge subscribes to
 * defaultEdgeOptions, so a fresh object per render (every drag frame) re-rendered all edges.
 */
const DEFAULT_EDGE_OPTIONS = { interactionWidth: 16 };
const PRO_OPTIONS = { hideAttribution: true };
const ARIA_LABELS = { 'node.a11yDescription.default': 'Press Enter or Space to select, arrow keys to move.' };
const MULTI_SELECTION_KEYS = ['Meta', 'Control'];
const PORT_TYPES = ['table', 'dataset', 'model-spec', 'model', 'metrics'];

/** The port-type legend: static, so it never re-renders with the canvas. */
const Legend = memo(function Legend() {
  return (
    <div className="legend" aria-label="Port types">
      {PORT_TYPES.map((t) => (
        <span key={t} className={`port-${t}`}>
          {t}
        </span>
      ))}
    </div>
  );
});

/** Right-click menu items for a node (and the selection it belongs to) or for the empty canvas at a point. */
function CanvasMenu({ screen, nodeId, flow, rfStore, onClose }: { screen: { x: number; y: number }; nodeId: string | null; flow: Flow; rfStore: FlowStore; onClose(): void }) {
  const running = useEditor((s) => s.running);
  const selected = useEditor(selectedCount);
  const store = editorStore.getState();
  const several = selected > 1 ? ` ${selected} nodes` : '';
  // Disable/Enable act on the selection the node belongs to (as Duplicate and Delete do), else on the node.
  const clicked = nodeId ? store.nodes.find((n) => n.id === nodeId) : undefined;
  const disabledNode = Boolean(clicked?.disabled);
  const targets = clicked && store.selectedNodeIds.has(clicked.id) ? store.nodes.filter((n) => store.selectedNodeIds.has(n.id)).map((n) => n.id) : nodeId ? [nodeId] : [];
  const items: MenuItem[] = nodeId
    ? [
        { label: 'Run to here', hint: 'Shift+Enter', disabled: running, testId: 'menu-run-to-here', run: () => void runGraph([nodeId]) },
        disabledNode
          ? { label: `Enable${several}`, testId: 'menu-enable', run: () => store.setDisabled(targets, false) }
          : { label: `Disable${several}`, testId: 'menu-disable', run: () => store.setDisabled(targets, true) },
        { label: `Duplicate${several}`, hint: 'Ctrl+D', testId: 'menu-duplicate', run: () => store.duplicateSelection() },
        { label: `Delete${several}`, hint: 'Del', testId: 'menu-delete', run: () => store.deleteSelection() },
      ]
    : [
        { label: 'Add node here…', hint: '/', testId: 'menu-add-node', run: () => store.openQuickAdd({ screen, flow: flow.screenToFlowPosition(screen) }) },
        { label: 'Paste here', hint: 'Ctrl+V', testId: 'menu-paste', run: () => void pasteAt(flow.screenToFlowPosition(screen)) },
        { label: 'Auto-layout', hint: 'L', disabled: !store.nodes.length, testId: 'menu-auto-layout', run: () => void autoLayout(flow, rfStore) },
        { label: 'Fit view', hint: 'F', disabled: !store.nodes.length, testId: 'menu-fit-view', run: () => fitGraph(flow, rfStore) },
      ];
  return <ContextMenu at={screen} label={nodeId ? 'Node' : 'Canvas'} items={items} onClose={onClose} />;
}

/** Pastes the system clipboard (or, without access to it, what was copied in this page) at a flow point. */
async function pasteAt(at: { x: number; y: number }): Promise<void> {
  let text: string | null = null;
  try {
    text = (await navigator.clipboard?.readText()) ?? null;
  } catch {
    // No permission to read the clipboard: the in-page copy is used.
  }
  if (!(await pasteText(text, at))) editorStore.getState().toast('info', 'Nothing to paste: copy nodes first (Ctrl+C)');
}

/** Replacing connections: a wire dropped on an occupied input takes the old wire's place. */
const REPLACE = { replace: true } as const;

export const NODE_DRAG_TYPE = 'application/x-pipeline-node';

/**
 * Where the pointer last was over the canvas (client coordinates), for paste and quick-add.
 * Kept as the raw point: turning it into flow coordinates reads the canvas's box (a layout
 * read), so that happens when it is used, not on every mouse move of a drag.
 */
export const pointer: { screen: { x: number; y: number } | null } = { screen: null };

/** The pointer's last point over the canvas in flow coordinates, or null. */
export function pointerInFlow(flow: Pick<Flow, 'screenToFlowPosition'>): { x: number; y: number } | null {
  return pointer.screen ? flow.screenToFlowPosition(pointer.screen) : null;
}

/**
 * A dropped file: a graph file opens; a data file (CSV/TSV/JSON…) fills the `data.file`
 * node it was dropped on, or becomes a new one; anything else goes to the graph importer,
 * which says why it cannot be read.
 */
async function dropFile(file: File, position: { x: number; y: number }, onNodeId: string | null): Promise<void> {
  if (await isGraphFile(file)) {
    await importGraphFile(file);
    return;
  }
  if (!isDataFileName(file.name)) {
    await importGraphFile(file);
    return;
  }
  const target = onNodeId ? editorStore.getState().nodes.find((n) => n.id === onNodeId) : undefined;
  if (target?.type === DATA_FILE_NODE) await fillDataFileNode(target.id, file);
  else await addDataFileNode(file, position);
}

function toConnection(edge: Edge | Connection): Connection {
  return { source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null, targetHandle: edge.targetHandle ?? null };
}

/**
 * Semantic zoom: below DETAIL_MIN_ZOOM a node draws only its title and status, in type sized
 * to read about FAR_TITLE_PX on screen, up to FAR_TITLE_MAX_PX in flow units so two lines
 * still fit the smallest node: readable down to READABLE_ZOOM, the least a graph opens at. The zoom is read in steps of 0.05: the canvas re-renders when a step
 * is crossed, not on every frame of a zoom.
 */
const FAR_TITLE_PX = 13;
const FAR_TITLE_MAX_PX = 30;
const farZoomSelector = (s: ReactFlowState) => (s.transform[2] >= DETAIL_MIN_ZOOM ? 0 : Math.max(0.05, Math.floor(s.transform[2] * 20) / 20));
const NO_SIZES: ReadonlyMap<string, Size> = new Map();
const MINIMAP_STYLE = { width: MINIMAP_SIZE.width, height: MINIMAP_SIZE.height, margin: MINIMAP_SIZE.margin };

/**
 * React Flow's nodes and edges for the store's graph and selection (see ./flow-mapping), and
 * the handlers that apply React Flow's changes back: positions, selection and removals to the
 * store, measured sizes to this canvas (UI state, never the document).
 */
function useFlowGraph() {
  const graphNodes = useEditor((s) => s.nodes);
  const graphEdges = useEditor((s) => s.edges);
  const selectedNodes = useEditor((s) => s.selectedNodeIds);
  const selectedEdges = useEditor((s) => s.selectedEdgeIds);
  const [mapNodes] = useState(createNodeMapper);
  const [mapEdges] = useState(createEdgeMapper);
  // Measured sizes, per opened graph (another graph's nodes are measured afresh: an id may come back with another size).
  const loadToken = useEditor((s) => s.loadToken);
  const [measured, setMeasured] = useState<{ loadToken: number; sizes: ReadonlyMap<string, Size> }>(() => ({ loadToken, sizes: NO_SIZES }));
  const sizes = measured.loadToken === loadToken ? measured.sizes : NO_SIZES;
  const nodes = useMemo(() => mapNodes(graphNodes, selectedNodes, sizes), [mapNodes, graphNodes, selectedNodes, sizes]);
  const edges = useMemo(() => mapEdges(graphEdges, selectedEdges), [mapEdges, graphEdges, selectedEdges]);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const rest = changes.filter((c) => c.type !== 'dimensions');
    if (rest.length) editorStore.getState().onNodesChange(rest);
    if (rest.length === changes.length) return;
    const token = editorStore.getState().loadToken;
    setMeasured((prev) => {
      let next: Map<string, Size> | null = null;
      const base = prev.loadToken === token ? prev.sizes : NO_SIZES;
      for (const change of changes) {
        if (change.type !== 'dimensions' || !change.dimensions) continue;
        const was = (next ?? base).get(change.id);
        if (was && was.width === change.dimensions.width && was.height === change.dimensions.height) continue;
        next ??= new Map(base);
        next.set(change.id, { width: change.dimensions.width, height: change.dimensions.height });
      }
      return next ? { loadToken: token, sizes: next } : prev.loadToken === token ? prev : { loadToken: token, sizes: base };
    });
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => editorStore.getState().onEdgesChange(changes), []);
  return { nodes, edges, onNodesChange, onEdgesChange };
}

export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useFlowGraph();
  const loadToken = useEditor((s) => s.loadToken);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const farZoom = useStore(farZoomSelector);
  const minimap = useEditor((s) => s.settings.minimap);
  const wrapper = useRef<HTMLDivElement>(null);

  // Whenever another graph is opened: once its nodes are measured, show it through its saved
  // viewport if that shows every node on this canvas, else fitted at a readable zoom (a graph
  // saved on a wider screen must not open with nodes hidden past the canvas edge).
  const rfStore = useStoreApi<FlowNode, FlowEdge>();
  useEffect(() => {
    let done = false;
    const open = (): boolean => {
      if (done) return true;
      const { nodes: opened, viewport, fitOnLoad } = editorStore.getState();
      if (!opened.length) {
        done = true;
        void flow.setViewport(viewport);
        return true;
      }
      const showsAll = viewportShowsAll(flow, rfStore, viewport);
      if (showsAll === null) return false; // not measured yet
      done = true;
      if (showsAll && !fitOnLoad) void flow.setViewport(viewport);
      else fitGraph(flow, rfStore);
      return true;
    };
    if (open()) return;
    // Measurements (and the canvas size) arrive through React Flow's store.
    const unsubscribe = rfStore.subscribe(() => {
      if (open()) queueMicrotask(unsubscribe);
    });
    return () => {
      done = true;
      unsubscribe();
    };
  }, [loadToken, flow, rfStore]);

  // A run just ended: bring the selected node (the one whose result the output panel shows) into view.
  useEffect(
    () =>
      editorStore.subscribe((state, prev) => {
        if (!state.lastRun || prev.lastRun) return;
        const id = selectedNodeId(state);
        if (id) revealNode(flow, rfStore, id);
      }),
    [flow, rfStore],
  );

  const isValidConnection = useCallback((edge: Edge | Connection) => {
    const { nodes: n, edges: e } = editorStore.getState();
    return connectionProblem(toConnection(edge), n, e, REPLACE) === null;
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    // Onto an input that already has a wire: the new wire replaces it (one undo step).
    const problem = editorStore.getState().connect(connection, REPLACE);
    if (problem) editorStore.getState().toast('error', problem);
  }, []);

  // A wire dropped on empty canvas: quick-add offers the nodes that can take it, and connects
  // the one chosen. Dropped on a handle that refused it: say why.
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    const droppedOn = event.target as Element | null;
    if (!state.toHandle && state.fromHandle && state.fromNode && droppedOn?.classList?.contains('react-flow__pane')) {
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      const screen = { x: point.clientX, y: point.clientY };
      editorStore.getState().openQuickAdd({
        screen,
        flow: flow.screenToFlowPosition(screen),
        wire: { nodeId: state.fromNode.id, port: state.fromHandle.id ?? '', end: state.fromHandle.type },
      });
      return;
    }
    if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
    const from = state.fromHandle;
    const to = state.toHandle;
    const [source, target] = from.type === 'source' ? [from, to] : [to, from];
    const { nodes: n, edges: e, toast } = editorStore.getState();
    const problem = connectionProblem(
      { source: source.nodeId, sourceHandle: source.id ?? null, target: target.nodeId, targetHandle: target.id ?? null },
      n,
      e,
      REPLACE,
    );
    toast('error', problem ?? 'Connect an output (right) to an input (left)');
  }, [flow]);

  // While the view moves (pan, zoom), the whole drawing is one compositor layer that moves
  // without repainting 500 nodes per frame; afterwards it is drawn again at full sharpness. A
  // class on the wrapper (not React state: no re-render of the canvas).
  const onMoveStart = useCallback(() => wrapper.current?.classList.add('moving'), []);
  const onMoveEnd = useCallback((_event: unknown, viewport: Viewport) => {
    wrapper.current?.classList.remove('moving');
    const current = editorStore.getState().viewport;
    if (current.x !== viewport.x || current.y !== viewport.y || current.zoom !== viewport.zoom) editorStore.getState().setViewport(viewport);
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = event.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const file = event.dataTransfer.files?.[0];
      if (file) {
        const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
        const onNode = (event.target as HTMLElement).closest?.('.react-flow__node')?.getAttribute('data-id') ?? null;
        void dropFile(file, { x: position.x - 100, y: position.y - 20 }, onNode);
        return;
      }
      const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!type) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      editorStore.getState().addNode(type, { x: position.x - 100, y: position.y - 20 });
    },
    [flow],
  );

  const onMouseMove = useCallback((event: ReactMouseEvent) => {
    pointer.screen = { x: event.clientX, y: event.clientY };
  }, []);

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!(event.target as HTMLElement).classList.contains('react-flow__pane')) return;
      editorStore.getState().openQuickAdd({
        screen: { x: event.clientX, y: event.clientY },
        flow: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }),
      });
    },
    [flow],
  );

  const layout = useCallback(() => void autoLayout(flow, rfStore), [flow, rfStore]);

  const [menu, setMenu] = useState<{ screen: { x: number; y: number }; nodeId: string | null } | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onNodeContextMenu = useCallback((event: ReactMouseEvent, node: FlowNode) => {
    event.preventDefault();
    // A node outside the selection becomes the selection; inside it, the menu acts on all of it.
    if (!editorStore.getState().selectedNodeIds.has(node.id)) editorStore.getState().selectOnly([node.id]);
    setMenu({ screen: { x: event.clientX, y: event.clientY }, nodeId: node.id });
  }, []);
  const onPaneContextMenu = useCallback((event: ReactMouseEvent | MouseEvent) => {
    event.preventDefault();
    setMenu({ screen: { x: event.clientX, y: event.clientY }, nodeId: null });
  }, []);
  const fit = useCallback(() => void fitGraph(flow, rfStore), [flow, rfStore]);
  const minimapToggle = useCallback(() => toggleMinimap(flow, rfStore), [flow, rfStore]);

  return (
    <div
      className={`canvas${farZoom ? ' zoomed-out' : ''}`}
      style={farZoom ? ({ '--far-title': `${Math.round(Math.min(FAR_TITLE_MAX_PX, FAR_TITLE_PX / farZoom))}px` } as CSSProperties) : undefined}
      ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} onMouseMove={onMouseMove} onDoubleClick={onDoubleClick} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        onlyRenderVisibleElements
        onNodeContextMenu={onNodeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
        ariaLabelConfig={ARIA_LABELS}
      >
        <Background gap={16} size={1} />
        {minimap && <MiniMap pannable zoomable ariaLabel="Minimap" nodeStrokeWidth={3} style={MINIMAP_STYLE} />}
        <Controls aria-label="Zoom controls" showFitView={false} orientation="horizontal">
          <ControlButton onClick={fit} title="Fit the graph into view (F)" aria-label="Fit view">
            ⤢
          </ControlButton>
          <ControlButton onClick={layout} title="Auto-layout (L)" aria-label="Auto-layout">
            ⇶
          </ControlButton>
          <ControlButton onClick={minimapToggle} title={minimap ? 'Hide the minimap (M)' : 'Show the minimap (M)'} aria-label="Minimap" aria-pressed={minimap} data-testid="minimap-toggle">
            ▭
          </ControlButton>
        </Controls>
        <Panel position="top-right">
          <Legend />
        </Panel>
      </ReactFlow>
      {nodes.length === 0 && <EmptyCanvas />}
      {menu && <CanvasMenu screen={menu.screen} nodeId={menu.nodeId} flow={flow} rfStore={rfStore} onClose={closeMenu} />}
    </div>
  );
}

