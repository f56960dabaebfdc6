/** Where the browser's model endpoints live (same origin, answered by the service worker). */
export const ENDPOINTS_PREFIX = '/api/endpoints';
