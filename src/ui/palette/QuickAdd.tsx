/**
 * Search box at the pointer (double-click on the pane, `/`, the canvas menu, or a wire dropped
 * on empty canvas): Enter adds the chosen node there. From a dropped wire, only node types with
 * a port that can take the wire are listed, and the new node is connected to it (one undo step).
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { AnyNodeSpec } from '../../engine/node';
import { canConnect } from '../../engine/ports';
import { getDefinition, inputSpec, listDefinitions, outputSpec } from '../../state/catalogue';
import { editorStore, useEditor } from '../../state/store';
import type { QuickAddWire } from '../../state/uiSlice';
import { searchWithHint, useSearchWords } from './search';

type QuickAddAt = NonNullable<ReturnType<typeof editorStore.getState>['quickAdd']>;

export function QuickAdd() {
  const at = useEditor((s) => s.quickAdd);
  if (!at) return null;
  return <QuickAddBox key={`${at.screen.x},${at.screen.y}`} at={at} />;
}

/** The port of `def` that can take the wire's loose end (its first such input or output), or null. */
export function portForWire(def: AnyNodeSpec, wire: QuickAddWire): string | null {
  const state = editorStore.getState();
  const type = state.nodes.find((n) => n.id === wire.nodeId)?.type;
  if (wire.end === 'source') {
    const from = outputSpec(type, wire.port);
    if (!from) return null;
    return Object.entries(def.inputs).find(([, spec]) => canConnect(from.type, spec.type))?.[0] ?? null;
  }
  const to = inputSpec(type, wire.port);
  if (!to) return null;
  return Object.entries(def.outputs).find(([, spec]) => canConnect(spec.type, to.type))?.[0] ?? null;
}

/** Adds `type` at the quick-add point and, from a dropped wire, connects it: one undo step. */
function addAt(at: QuickAddAt, type: string): void {
  const store = editorStore.getState();
  const def = getDefinition(type);
  const port = def && at.wire ? portForWire(def, at.wire) : null;
  store.beginGroup();
  try {
    const id = store.addNode(type, { x: at.flow.x - (at.wire?.end === 'target' ? 200 : 10), y: at.flow.y - 20 });
    if (at.wire && port) {
      const { wire } = at;
      const connection =
        wire.end === 'source'
          ? { source: wire.nodeId, sourceHandle: wire.port, target: id, targetHandle: port }
          : { source: id, sourceHandle: port, target: wire.nodeId, targetHandle: wire.port };
      const problem = editorStore.getState().connect(connection, { replace: true });
      if (problem) editorStore.getState().toast('error', problem);
    }
  } finally {
    editorStore.getState().endGroup();
  }
}

function QuickAddBox({ at }: { at: QuickAddAt }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const vocabulary = useSearchWords();
  const { results, hint } = useMemo(() => {
    const defs = at.wire ? listDefinitions().filter((def) => portForWire(def, at.wire!) !== null) : listDefinitions();
    const found = searchWithHint(defs, query, vocabulary);
    return { results: found.results.slice(0, 30), hint: found.hint };
  }, [query, at.wire, vocabulary]);
  const close = () => editorStore.getState().openQuickAdd(null);
  const choose = (type: string | undefined) => {
    if (!type) return;
    addAt(at, type);
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
        placeholder={at.wire ? 'Add a node to connect…' : 'Add node…'}
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
      {hint && (
        <p className="search-hint" role="status" data-testid="search-unavailable">
          {hint}
        </p>
      )}
      <ul role="listbox">
        {results.map((def, i) => (
          <li
            key={def.type}
            role="option"
            aria-selected={i === active}
            title={def.description ?? def.title}
            data-testid={`quick-add-${def.type}`}
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
