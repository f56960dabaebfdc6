/**
 * The endpoints panel's calls: the store (versions, logged traffic) through the lazily loaded
 * storage module, and predictions through fetch to the same-origin endpoint that the service
 * worker answers (that is the point: what the panel shows is what any client gets).
 */
import Papa from 'papaparse';
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

/**
 * Text cells a spreadsheet would run as a formula (CSV injection): those starting with `=`,
 * `+`, `-`, `@`, tab or carriage return, as OWASP lists them. A cell that is nothing but a
 * plain decimal number (`-5`, `-0.25`, `+3`, `-1e-7`) is left alone: a spreadsheet reads it
 * as that number and there is nothing else in it to evaluate, while anything more (`-2+3+cmd|…`,
 * OWASP's own example) no longer matches the number and is neutralised. Number values are
 * never prefixed (Papa.unparse skips them), so predictions and negative features stay numbers.
 */
export const FORMULA_TRIGGER = /^(?![-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$)[=+\-@\t\r]/;

/**
 * CSV text (RFC 4180 quoting, by PapaParse) that is safe to open in a spreadsheet: a formula
 * cell, header or value, gets OWASP's single-quote prefix so it is shown as text, never run.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return `${Papa.unparse({ fields: header, data: rows }, { escapeFormulae: FORMULA_TRIGGER, newline: '\n' })}\n`;
}
