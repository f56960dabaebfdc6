/**
 * A draggable, focusable separator between two panels (the WAI-ARIA window splitter): dragged
 * with the pointer, moved with the arrow keys (Shift: further), Home/End for the panel's least
 * and greatest size, Enter to collapse or open a collapsible one.
 */
import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import { KEY_STEP_PX } from './sizes';
import type { SeparatorModel } from './useWorkspaceSizes';

interface Props {
  /** 'vertical': a vertical line between panels side by side; 'horizontal': between panels one over the other. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  /** Id of the panel the separator resizes. */
  controls: string;
  testId: string;
  model: SeparatorModel;
}

interface Drag {
  pointerId: number;
  origin: number;
  moveTo(offset: number): void;
}

export function Separator({ orientation, label, controls, testId, model }: Props) {
  const drag = useRef<Drag | null>(null);
  const [dragging, setDragging] = useState(false);
  useNoSelectionWhile(dragging, orientation);
  const along = (event: PointerEvent) => (orientation === 'vertical' ? event.clientX : event.clientY);

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    // No text selection, no canvas pan: the pointer belongs to this separator until released. (Not
    // focused either: a mouse drag leaves no focus ring behind; Tab reaches it for the keyboard.)
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, origin: along(event), moveTo: model.startDrag() };
    setDragging(true);
  }
  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const current = drag.current;
    if (current?.pointerId === event.pointerId) current.moveTo(along(event) - current.origin);
  }
  function endDrag(event: PointerEvent<HTMLDivElement>) {
    if (drag.current?.pointerId !== event.pointerId) return;
    drag.current = null;
    setDragging(false);
  }
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const [back, forward] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    const step = event.shiftKey ? 5 * KEY_STEP_PX : KEY_STEP_PX;
    if (event.key === back) model.step(-step);
    else if (event.key === forward) model.step(step);
    else if (event.key === 'Home') model.toMin();
    else if (event.key === 'End') model.toMax();
    else if (event.key === 'Enter' && model.toggle) model.toggle();
    else return;
    event.preventDefault();
  }

  return (
    <div
      role="separator"
      tabIndex={0}
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={Math.round(model.value)}
      aria-valuemin={Math.round(model.min)}
      aria-valuemax={Math.round(model.max)}
      className="resize-handle"
      data-testid={testId}
      data-dragging={dragging || undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onKeyDown={onKeyDown}
    />
  );
}

/** While a separator is dragged, the page selects no text and shows the resize cursor everywhere. */
function useNoSelectionWhile(dragging: boolean, orientation: Props['orientation']): void {
  useEffect(() => {
    if (!dragging) return;
    const root = document.documentElement;
    root.dataset.resizing = orientation;
    return () => {
      delete root.dataset.resizing;
    };
  }, [dragging, orientation]);
}
