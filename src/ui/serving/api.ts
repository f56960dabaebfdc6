/**
 * The endpoints panel's calls: the store (versions, logged traffic) through the lazily loaded
 * storage module, and predictions through fetch to the same-origin endpoint that the service
 * worker answers (that is the point: what the panel shows is what any client gets).
 */
import { ENDPOINTS_PREFIX } from '../../serving/browser/paths';

export interface EndpointAnswer {
  status: number;
  ms: number;
  body: {
    model?: { name: string; version: string };
    predictions?: { prediction: string | number; probabilities?: Record<string, number> }[];
    warnings?: string[];
    error?: string;
    fields?: Record<string, string>;
  };
}

export function endpointUrl(name: string, route = 'predict'): string {
  return `${ENDPOINTS_PREFIX}/${encodeURIComponent(name)}/${route}`;
}

/** POSTs a record (or a list) to the endpoint; never throws for HTTP errors, only for network ones. */
export async function postPredict(name: string, body: unknown, signal?: AbortSignal): Promise<EndpointAnswer> {
  const started = performance.now();
  const response = await fetch(endpointUrl(name), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  const text = await response.text();
  let parsed: EndpointAnswer['body'];
  try {
    parsed = JSON.parse(text) as EndpointAnswer['body'];
  } catch {
    parsed = { error: response.status === 404 ? 'the endpoint service worker is not answering (reload the page)' : text.slice(0, 200) };
  }
  return { status: response.status, ms: performance.now() - started, body: parsed };
}

/** A readable line for a failed answer, with the per-field messages. */
export function answerError(answer: EndpointAnswer): string {
  const fields = answer.body.fields ? Object.entries(answer.body.fields).map(([f, m]) => `${f}: ${m}`) : [];
  return [`${answer.status} ${answer.body.error ?? 'request failed'}`, ...fields].join(' — ');
}

/** CSV text with quoting where needed. */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cell = (value: string | number | boolean | null | undefined) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
