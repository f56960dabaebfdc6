import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles/app.css';
import { App } from './ui/App';

// Same-origin model endpoints (/api/endpoints/<name>/predict) live in a service worker,
// registered from its own chunk (src/serving stays out of what the page loads first).
void import('./serving/browser/register').then((sw) => sw.registerEndpointWorker());

// Test builds only (`vite --mode test`): window.__pipelineStudio. A production build drops this
// branch and the module with it (e2e/build-output.spec.ts checks).
if (import.meta.env.MODE === 'test') void import('./state/debug').then((debug) => debug.installDebugHooks());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
