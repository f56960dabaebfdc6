/** Search box at the pointer (double-click on the pane, or `/`): Enter adds the chosen node there. */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { listDefinitions } from '../../state/catalogue';
import { editorStore, useEditor } from '../../state/store';
import { searchNodes } from './search';

export function QuickAdd() {
  const at = useEditor((s) => s.quickAdd);
  if (!at) return null;
  return <QuickAddBox key={`${at.screen.x},${at.screen.y}`} at={at} />;
}

function QuickAddBox({ at }: { at: NonNullable<ReturnType<typeof editorStore.getState>['quickAdd']> }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => searchNodes(listDefinitions(), query).slice(0, 30), [query]);
  const close = () => editorStore.getState().openQuickAdd(null);
  const choose = (type: string | undefined) => {
    if (!type) return;
    editorStore.getState().addNode(type, { x: at.flow.x - 100, y: at.flow.y - 20 });
    close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
    else if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, results.length - 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter') choose(results[active]?.type);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const left = Math.min(at.screen.x, window.innerWidth - 300);
  const top = Math.min(at.screen.y, window.innerHeight - 320);
  return (
    <div className="quick-add" style={{ left, top }} role="dialog" aria-label="Add a node" data-testid="quick-add">
      <input
        autoFocus
        type="search"
        placeholder="Add node…"
        aria-label="Node search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(close, 150)}
        style={{ width: '100%' }}
      />
      <ul role="listbox">
        {results.map((def, i) => (
          <li
            key={def.type}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(def.type);
            }}
          >
            {def.title} <small className="muted">{def.stage}</small>
          </li>
        ))}
        {results.length === 0 && <li className="muted">No match</li>}
      </ul>
    </div>
  );
}
