import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles/app.css';
import { App } from './ui/App';
import { registerEndpointWorker } from './serving/browser/register';

// Same-origin model endpoints (/api/endpoints/<name>/predict) live in a service worker.
void registerEndpointWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
