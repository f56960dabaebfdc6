import { describe, expect, it } from 'vitest';
import { createEditorStore } from './store';

describe('toasts', () => {
  it('collapse a repeated message into one with a count, kept apart by kind and node', () => {
    const store = createEditorStore();
    const { toast } = store.getState();
    toast('error', 'Roles: the target has one class', { nodeId: 'roles' });
    toast('info', 'Saved');
    toast('error', 'Roles: the target has one class', { nodeId: 'roles' });
    toast('error', 'Roles: the target has one class', { nodeId: 'roles' });
    toast('error', 'Roles: the target has one class', { nodeId: 'other' });
    const toasts = store.getState().toasts;
    expect(toasts.map((t) => [t.text, t.nodeId, t.count])).toEqual([
      ['Saved', undefined, 1],
      ['Roles: the target has one class', 'roles', 3],
      ['Roles: the target has one class', 'other', 1],
    ]);
    // The repeat is the newest: it stays up as long as a fresh message would.
    expect(toasts[1].id).toBeGreaterThan(toasts[0].id);
  });

  it('keep at most four on screen, the newest', () => {
    const store = createEditorStore();
    for (let i = 0; i < 6; i++) store.getState().toast('info', `message ${i}`);
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['message 2', 'message 3', 'message 4', 'message 5']);
  });
});
