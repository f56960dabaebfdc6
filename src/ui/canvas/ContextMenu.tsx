/**
 * The canvas's right-click menu: on a node (run to here, duplicate, delete) or on the empty
 * canvas (add a node there, paste there, auto-layout, fit). A menu in the WAI-ARIA sense:
 * focus on the first item, arrows move, Enter/Space choose, Escape or a click elsewhere closes.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  /** Shown after the label, e.g. the shortcut. */
  hint?: string;
  disabled?: boolean;
  testId: string;
  run(): void;
}

export function ContextMenu({ at, label, items, onClose }: { at: { x: number; y: number }; label: string; items: MenuItem[]; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const away = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    const closeOnBlur = () => onClose();
    document.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', closeOnBlur);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', closeOnBlur);
    };
  }, [onClose]);

  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') buttons[(index + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp') buttons[(index - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  // Kept inside the window: a menu opened near the right or bottom edge opens towards the middle.
  const left = Math.max(0, Math.min(at.x, window.innerWidth - 220));
  const top = Math.max(0, Math.min(at.y, window.innerHeight - (items.length * 30 + 12)));
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={label} style={{ left, top }} onKeyDown={onKeyDown} data-testid="context-menu" onContextMenu={(e) => e.preventDefault()}>
      {items.map((item) => (
        <button
          key={item.testId}
          role="menuitem"
          disabled={item.disabled}
          data-testid={item.testId}
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.hint && <kbd>{item.hint}</kbd>}
        </button>
      ))}
    </div>
  );
}
