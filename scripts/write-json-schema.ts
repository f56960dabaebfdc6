/** `npm run schema`: writes the graph file's JSON Schema, generated from its zod schema. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { graphFileJsonSchemaText } from '../src/engine/graph-file-schema';

const target = fileURLToPath(new URL('../schema/graph-file.v1.schema.json', import.meta.url));
writeFileSync(target, graphFileJsonSchemaText());
console.log(`wrote ${target}`);
