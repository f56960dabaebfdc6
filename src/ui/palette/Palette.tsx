/** Every registered node type, grouped by stage, searchable; drag onto the canvas or press Enter to add. */
import { useReactFlow } from '@xyflow/react';
import { useMemo, useState, type CSSProperties, type DragEvent } from 'react';
import { STAGES } from '../../engine/node';
import { listDefinitions } from '../../state/catalogue';
import { editorStore } from '../../state/store';
import { NODE_DRAG_TYPE } from '../canvas/Canvas';
import { searchWithHint, useSearchWords } from './search';

export function Palette() {
  const [query, setQuery] = useState('');
  const flow = useReactFlow();
  const vocabulary = useSearchWords();
  const { groups, hint } = useMemo(() => {
    const found = searchWithHint(listDefinitions(), query, vocabulary);
    return {
      groups: STAGES.map((stage) => ({ stage, defs: found.results.filter((d) => d.stage === stage) })).filter((g) => g.defs.length),
      hint: found.hint,
    };
  }, [query, vocabulary]);

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'move';
  };

  // Keyboard path: add at the centre of the visible canvas.
  const addAtCentre = (type: string) => {
    const box = document.querySelector('.react-flow')?.getBoundingClientRect();
    const centre = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    editorStore.getState().addNode(type, { x: centre.x - 100, y: centre.y - 30 });
  };

  return (
    <div className="panel-body" data-testid="palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {hint && (
        <p className="search-hint" role="status" data-testid="search-unavailable">
          {hint}
        </p>
      )}
      {groups.length === 0 && <p className="muted">No node matches “{query}”.</p>}
      {groups.map(({ stage, defs }) => (
        <section className="palette-group" key={stage} style={{ '--stage-color': `var(--stage-${stage})` } as CSSProperties}>
          <h3>
            <span className="stage-dot" /> {stage}
          </h3>
          <ul>
            {defs.map((def) => (
              <li key={def.type}>
                <button
                  className="palette-item"
                  draggable
                  onDragStart={(e) => onDragStart(e, def.type)}
                  onClick={() => addAtCentre(def.type)}
                  data-testid={`palette-${def.type}`}
                  title={`${def.description ?? def.title} — drag onto the canvas, or click to add`}
                  aria-label={`Add ${def.title}`}
                >
                  {def.title}
                  {def.description && <small>{def.description}</small>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
