/**
 * What names a graph file, apart from its zod schema (graph-file-schema.ts) so that code
 * writing one (the editor's clipboard, first load) does not carry zod.
 */
export const GRAPH_FILE_FORMAT = 'pipeline-studio.graph';
export const GRAPH_FILE_VERSION = 1;
