/**
 * Editor commands that reach beyond the store, one module per job: the backend, running,
 * the clipboard, files in and out. Toolbar buttons, shortcuts and menus all call these.
 */
export { effectiveBackendPreference, initBackend } from './backend';
export { copySelection, cutSelection, holdsFragment, pasteText, selectionAsText } from './clipboard';
export { downloadBytes, exportGraph, exportRawRecord, fileSafeName, importGraphFile } from './file-io';
export { cancelRun, nodeTitle, RUN_EVENT_INTERVAL_MS, runGraph } from './run-graph';
