/**
 * Owns the workspace's panel sizes: what a person chose (remembered in localStorage once they
 * move a separator or collapse the output panel), fitted to the space the window leaves, and
 * the separators that change them.
 */
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OutputPanelControl } from '../layoutContext';
import {
  clamp,
  columnRange,
  defaultSizes,
  dragOutput,
  fitSizes,
  OUTPUT_COLLAPSED,
  outputRange,
  type FittedSizes,
  type PanelSizes,
  parseStoredSizes,
  stepOutput,
} from './sizes';

const STORAGE_KEY = 'pipeline-studio:layout';

/** A separator as the hook sees it: the size it stands for and what moving it does. */
export interface SeparatorModel {
  /** Size of the panel the separator resizes, and its range (px), for assistive technology. */
  value: number;
  min: number;
  max: number;
  /** Starts a drag; the function returned moves the separator `offset` px (right or down) from where the drag began. */
  startDrag(): (offset: number) => void;
  /** Moves the separator `offset` px (right or down), from the keyboard. */
  step(offset: number): void;
  /** Gives the panel its least size (Home). */
  toMin(): void;
  /** Gives the panel its greatest size (End). */
  toMax(): void;
  /** Collapses or opens a collapsible panel (Enter). */
  toggle?(): void;
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function loadChosenSizes(): Partial<PanelSizes> {
  const storage = browserStorage();
  if (!storage) return {};
  return parseStoredSizes(storage.getItem(STORAGE_KEY));
}

function saveChosenSizes(sizes: Partial<PanelSizes>): void {
  const storage = browserStorage();
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(sizes));
  } catch {
    // Storage full or refused: the sizes hold for this visit.
  }
}

interface Measured {
  workspaceWidth: number;
  centerHeight: number;
}

/** Follows the workspace's width and the centre column's height; a hidden workspace (0 × 0) keeps the last ones. */
function useMeasured(workspace: RefObject<HTMLElement | null>, center: RefObject<HTMLElement | null>): Measured {
  // A first guess for the first render; the observer gives the real sizes before the first paint.
  const [measured, setMeasured] = useState<Measured>(() => ({ workspaceWidth: window.innerWidth, centerHeight: window.innerHeight - 60 }));
  useLayoutEffect(() => {
    const row = workspace.current;
    const column = center.current;
    if (!row || !column) return;
    const observer = new ResizeObserver(() => {
      const workspaceWidth = row.clientWidth;
      const centerHeight = column.clientHeight;
      if (workspaceWidth === 0 || centerHeight === 0) return;
      setMeasured((last) => (last.workspaceWidth === workspaceWidth && last.centerHeight === centerHeight ? last : { workspaceWidth, centerHeight }));
    });
    observer.observe(row);
    observer.observe(column);
    return () => observer.disconnect();
  }, [workspace, center]);
  return measured;
}

export function useWorkspaceSizes() {
  const workspaceRef = useRef<HTMLDivElement>(null);
  const centerRef = useRef<HTMLDivElement>(null);
  const { workspaceWidth, centerHeight } = useMeasured(workspaceRef, centerRef);
  const [firstVisit] = useState(() => defaultSizes(window.innerWidth));
  const [chosen, setChosen] = useState(() => ({ sizes: loadChosenSizes(), byUser: false }));
  useEffect(() => {
    // Only sizes a person chose are saved, never those a small window forces.
    if (chosen.byUser) saveChosenSizes(chosen.sizes);
  }, [chosen]);
  const choose = useCallback((update: Partial<PanelSizes>) => setChosen((last) => ({ sizes: { ...last.sizes, ...update }, byUser: true })), []);
  const outputOpen = chosen.sizes.outputOpen ?? firstVisit.outputOpen;
  const outputControl = useMemo<OutputPanelControl>(() => ({ open: outputOpen, setOpen: (open) => choose({ outputOpen: open }) }), [outputOpen, choose]);

  const preferred: PanelSizes = { ...firstVisit, ...chosen.sizes };
  const fitted: FittedSizes = fitSizes(preferred, workspaceWidth, centerHeight);

  /** A side column's separator; `grows` is +1 when moving it right widens the column, -1 when it narrows it. */
  function columnSeparator(column: 'side' | 'inspector', grows: 1 | -1): SeparatorModel {
    const other = column === 'side' ? fitted.inspector : fitted.side;
    const range = columnRange(column, workspaceWidth, other);
    const width = fitted[column];
    return {
      value: width,
      ...range,
      startDrag: () => (offset) => choose({ [column]: clamp(width + grows * offset, range) }),
      step: (offset) => choose({ [column]: clamp(width + grows * offset, range) }),
      toMin: () => choose({ [column]: range.min }),
      toMax: () => choose({ [column]: range.max }),
    };
  }

  function outputSeparator(): SeparatorModel {
    const range = outputRange(centerHeight);
    const height = fitted.output;
    return {
      value: height,
      min: OUTPUT_COLLAPSED,
      max: range.max,
      startDrag: () => {
        // Collapsed by this drag, the panel opens again at its height from before the drag.
        const openHeight = preferred.outputOpen ? height : preferred.output;
        return (offset) => choose(dragOutput(height - offset, openHeight, centerHeight));
      },
      step: (offset) => choose(stepOutput(preferred, height, -offset, centerHeight)),
      toMin: () => choose({ outputOpen: false }),
      toMax: () => choose({ output: range.max, outputOpen: true }),
      toggle: () => choose({ outputOpen: !preferred.outputOpen }),
    };
  }

  return {
    workspaceRef,
    centerRef,
    sizes: fitted,
    separators: { side: columnSeparator('side', 1), inspector: columnSeparator('inspector', -1), output: outputSeparator() },
    outputControl,
  };
}
