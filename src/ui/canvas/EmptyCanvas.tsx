/** On an empty canvas: the templates from public/examples, one click away. */
import { useEffect, useState } from 'react';
import { openExample } from '../../state/session';
import { editorStore } from '../../state/store';
import { errorMessage } from '../../engine/errors';
import { NewFromDataButton } from '../panels/NewFromDataButton';

export interface ExampleEntry {
  name: string;
  title: string;
  description?: string;
}

/** Used when examples/index.json cannot be read. */
const KNOWN_EXAMPLES: ExampleEntry[] = [
  { name: 'iris-mlp', title: 'Iris: MLP classifier' },
  { name: 'penguins-mlp', title: 'Penguins: impute, one-hot, scale, MLP' },
  { name: 'digits-mlp', title: 'Digits: MLP on 8×8 pixels' },
  { name: 'digits-cnn', title: 'Digits: small CNN on 8×8 images' },
  { name: 'cars-regression', title: 'Cars: predict miles per gallon' },
];

export async function loadExampleIndex(): Promise<ExampleEntry[]> {
  try {
    const response = await fetch('examples/index.json');
    if (!response.ok) return KNOWN_EXAMPLES;
    const parsed = (await response.json()) as { examples?: ExampleEntry[] } | ExampleEntry[];
    const list = Array.isArray(parsed) ? parsed : parsed.examples;
    return Array.isArray(list) && list.length ? list.filter((e) => typeof e?.name === 'string') : KNOWN_EXAMPLES;
  } catch {
    return KNOWN_EXAMPLES;
  }
}

export function useExamples(): ExampleEntry[] {
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  useEffect(() => {
    let alive = true;
    void loadExampleIndex().then((list) => alive && setExamples(list));
    return () => {
      alive = false;
    };
  }, []);
  return examples;
}

export function openTemplate(name: string): void {
  openExample(name).catch((error: unknown) => editorStore.getState().toast('error', `Could not open template: ${errorMessage(error)}`));
}

export function TemplateList() {
  const examples = useExamples();
  return (
    <ul className="template-list" data-testid="templates">
      {examples.map((example) => (
        <li key={example.name}>
          <button onClick={() => openTemplate(example.name)} data-testid={`template-${example.name}`}>
            <b>{example.title ?? example.name}</b>
            {example.description && <small className="muted"> — {example.description}</small>}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function EmptyCanvas() {
  return (
    <div className="empty-canvas">
      <div className="card">
        <h2 style={{ margin: '0 0 4px', fontSize: 15 }}>Start a pipeline</h2>
        <p className="muted" style={{ margin: 0 }}>
          Drag nodes from the palette, double-click the canvas (or press <kbd>/</kbd>) to search, drop a graph file here, or start from a template:
        </p>
        <p style={{ margin: '8px 0 0' }}>
          <NewFromDataButton className="primary" /> <span className="muted">a pipeline built from your data: pick a file and the column to predict.</span>
        </p>
        <TemplateList />
      </div>
    </div>
  );
}
