/** A small tune graph for e2e tests: the iris template with a Tune node (4 short trials) feeding Evaluate. */
import { readFileSync } from 'node:fs';

interface GraphFileJson {
  graph: { id: string; name: string; nodes: { id: string; type: string; params: Record<string, unknown> }[]; edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[] };
  layout: { positions: Record<string, { x: number; y: number }> };
}

export function irisTuneGraphText(): string {
  const file = JSON.parse(readFileSync(new URL('../public/examples/iris-mlp.json', import.meta.url), 'utf8')) as GraphFileJson;
  const { graph, layout } = file;
  graph.id = 'iris-tune';
  graph.name = 'Iris tune';
  for (const node of graph.nodes) if (node.id === 'train') node.params = { ...node.params, epochs: 5 };
  graph.nodes.push({
    id: 'tune',
    type: 'tune.search',
    params: { searchSpace: { learningRate: [0.01, 0.1], layers: [[8], [4]] }, epochs: 8, halving: false, maxTrials: 4, patience: 50 },
  });
  graph.edges = graph.edges.filter((e) => !(e.to.node === 'evaluate' && e.to.port === 'model'));
  graph.edges.push(
    { id: 'scale.data->tune.data', from: { node: 'scale', port: 'data' }, to: { node: 'tune', port: 'data' } },
    { id: 'spec.spec->tune.spec', from: { node: 'spec', port: 'spec' }, to: { node: 'tune', port: 'spec' } },
    { id: 'tune.model->evaluate.model', from: { node: 'tune', port: 'model' }, to: { node: 'evaluate', port: 'model' } },
  );
  layout.positions.tune = { x: 1120, y: 200 };
  layout.positions.spec = { x: 840, y: 220 };
  return JSON.stringify(file, null, 2);
}
