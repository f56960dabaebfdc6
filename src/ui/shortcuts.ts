/** Keyboard shortcuts, listed in the help overlay (`?`) from this one table. */
export interface Shortcut {
  keys: string;
  action: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+Enter', action: 'Run the pipeline' },
  { keys: 'Shift+Enter', action: 'Run to the selected node' },
  { keys: 'Escape', action: 'Close dialogs / clear selection' },
  { keys: 'Ctrl+Z', action: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'Redo' },
  { keys: 'Ctrl+C / Ctrl+X / Ctrl+V', action: 'Copy, cut, paste nodes (also between graphs)' },
  { keys: 'Ctrl+D', action: 'Duplicate selection' },
  { keys: 'Ctrl+A', action: 'Select all' },
  { keys: 'Delete / Backspace', action: 'Delete selection' },
  { keys: '/ or Space', action: 'Search and add a node at the pointer' },
  { keys: 'Double-click canvas', action: 'Search and add a node there' },
  { keys: 'L', action: 'Auto-layout' },
  { keys: 'F', action: 'Fit view' },
  { keys: 'M', action: 'Show / hide the minimap' },
  { keys: 'Shift+drag', action: 'Box-select' },
  { keys: 'Ctrl+click', action: 'Add to selection' },
  { keys: 'Tab / Enter on a node', action: 'Focus nodes; Enter selects, arrows move' },
  { keys: '?', action: 'This help' },
];

/** Whether a key event comes from a text field (then editor shortcuts stay out of the way). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}
