/** Selection, panels, overlays, toasts, dialogs and settings. Not part of undo history. */
import { loadSettings, saveSettings, type Settings } from './settings';
import type { StoreSlice } from './storeTypes';

export type SideTab = 'nodes' | 'graphs' | 'datasets' | 'models' | 'endpoints';

/** What fills the workspace: the editor (palette, canvas, inspector), the full-size Runs view, or serving and monitoring. */
export type WorkspaceView = 'editor' | 'runs' | 'serving';

export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'warning';
  text: string;
  /** The node the message is about: clicking the toast selects it. */
  nodeId?: string;
  /** How many times this same message came (shown as ×N instead of stacking copies). */
  count: number;
}

/** The loose end of a wire dragged onto empty canvas: from an output (`source`) or an input (`target`). */
export interface QuickAddWire {
  nodeId: string;
  port: string;
  end: 'source' | 'target';
}

export interface UiSlice {
  /**
   * The selected nodes and edges, by id (set by the graph slice's actions and React Flow's
   * select changes). May name nodes no longer in the graph: undo bringing one back brings it
   * back selected, as it was when deleted. Read it through the graph's nodes (./store's
   * selectedNodes, selectedNodeId).
   */
  selectedNodeIds: ReadonlySet<string>;
  selectedEdgeIds: ReadonlySet<string>;
  sideTab: SideTab;
  view: WorkspaceView;
  helpOpen: boolean;
  /**
   * Quick-add search box, at a screen point, adding at a flow point. With `wire`, a wire was
   * dropped on empty canvas: only node types that can take its end are offered, and the new node
   * is connected to it.
   */
  quickAdd: { screen: { x: number; y: number }; flow: { x: number; y: number }; wire?: QuickAddWire } | null;
  toasts: Toast[];
  /** A graph-file import that failed, with located messages. */
  importError: { title: string; messages: string[] } | null;
  /** Another tab changed the open graph: offer a reload instead of overwriting it. */
  conflict: string | null;
  settings: Settings;
  /** Bumps when the list of stored graphs / datasets / models may have changed. */
  libraryVersion: number;
  /** The session has opened its first graph (storage read, sample loaded). */
  sessionReady: boolean;
  setSessionReady(): void;
  setSideTab(tab: SideTab): void;
  setView(view: WorkspaceView): void;
  /** The endpoint the Serving view shows (null: the first one). */
  servingEndpoint: string | null;
  /** Opens the Serving view, on `endpoint` when given. */
  openServing(endpoint?: string | null): void;
  setHelpOpen(open: boolean): void;
  openQuickAdd(at: UiSlice['quickAdd']): void;
  /** Shows a message; the same message again (same kind, text and node) bumps the count of the one shown. */
  toast(kind: Toast['kind'], text: string, options?: { nodeId?: string }): void;
  dismissToast(id: number): void;
  setImportError(error: UiSlice['importError']): void;
  setConflict(message: string | null): void;
  updateSettings(patch: Partial<Settings>): void;
  bumpLibrary(): void;
}

let nextToastId = 1;
/** Most toasts shown at once; older ones drop off. */
const MAX_TOASTS = 4;

export const createUiSlice: StoreSlice<UiSlice> = (set, get) => ({
  selectedNodeIds: new Set<string>(),
  selectedEdgeIds: new Set<string>(),
  sideTab: 'nodes',
  view: 'editor',
  servingEndpoint: null,
  helpOpen: false,
  quickAdd: null,
  toasts: [],
  importError: null,
  conflict: null,
  settings: loadSettings(),
  libraryVersion: 0,
  sessionReady: false,

  setSessionReady() {
    set({ sessionReady: true });
  },
  setSideTab(tab) {
    set({ sideTab: tab });
  },
  setView(view) {
    set({ view });
  },
  openServing(endpoint) {
    set((s) => ({ view: 'serving', servingEndpoint: endpoint === undefined ? s.servingEndpoint : endpoint }));
  },
  setHelpOpen(open) {
    set({ helpOpen: open });
  },
  openQuickAdd(at) {
    set({ quickAdd: at });
  },
  toast(kind, text, options) {
    const nodeId = options?.nodeId;
    set((s) => {
      const same = s.toasts.find((t) => t.kind === kind && t.text === text && t.nodeId === nodeId);
      // A repeat moves to the end with a fresh id, so it stays up as long as a new one would.
      const toast: Toast = { id: nextToastId++, kind, text, count: (same?.count ?? 0) + 1, ...(nodeId ? { nodeId } : {}) };
      return { toasts: [...s.toasts.filter((t) => t !== same), toast].slice(-MAX_TOASTS) };
    });
  },
  dismissToast(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
  setImportError(error) {
    set({ importError: error });
  },
  setConflict(message) {
    set({ conflict: message });
  },
  updateSettings(patch) {
    const settings = { ...get().settings, ...patch };
    saveSettings(settings);
    set({ settings });
  },
  bumpLibrary() {
    set((s) => ({ libraryVersion: s.libraryVersion + 1 }));
  },
});
