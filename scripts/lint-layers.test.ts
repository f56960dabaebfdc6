/**
 * The layer rule in eslint.config.js bites: an import that points up the layers (or from the
 * editor into node code) is reported by the project's own lint configuration.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('import boundaries (lint)', () => {
  it('reports an upward import: the engine importing node implementations', async () => {
    const errors = await layerErrors('src/engine/fixture-upward.ts', "import { createRegistry } from '../nodes';\nexport const registry = createRegistry();\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"engine" to elements of type "nodes"/);
  });

  it('reports the editor importing node code or src/ml, and ml importing nodes', async () => {
    expect(await layerErrors('src/state/fixture.ts', "export { train } from '../nodes/train/train';\n")).toHaveLength(1);
    expect(await layerErrors('src/ui/fixture.ts', "export { tf } from '../ml/tf';\n")).toHaveLength(1);
    expect(await layerErrors('src/ml/fixture.ts', "export { ALL_NODES } from '../nodes';\n")).toHaveLength(1);
    expect(await layerErrors('src/ui/fixture.ts', "export { summarizeTraffic } from '../serving/traffic';\n")).toHaveLength(1);
  });

  it('lets the engine name the port types in src/data/types, but not import the rest of src/data', async () => {
    const errors = await layerErrors('src/engine/fixture.ts', "export { columnNames } from '../data/table';\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"engine" to elements of type "data"/);
  });

  it('allows imports that point down: editor → specs, nodes → ml → catalog → engine → data', async () => {
    expect(await layerErrors('src/state/fixture.ts', "export { ALL_SPECS } from '../catalog';\n")).toEqual([]);
    expect(await layerErrors('src/nodes/fixture.ts', "export { tf } from '../ml/tf';\nexport { trainSpec } from '../catalog/train/train';\n")).toEqual([]);
    expect(await layerErrors('src/engine/fixture.ts', "export type { Table } from '../data/types';\n")).toEqual([]);
  });
});
