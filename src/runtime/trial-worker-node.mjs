// Entry of a CLI trial worker thread: registers tsx's loader in this thread (as
// bin/pipeline-studio.js does for the CLI), then loads the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./trial-worker-node.ts');
