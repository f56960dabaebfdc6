/**
 * An error boundary around one part of the editor (a side panel, the inspector, an output
 * view, a node's status line): if that part throws while rendering, it shows the error in
 * place and the rest of the editor — the graph above all — keeps working. `resetKeys` let it
 * try again by itself when what it shows changes (another tab, another node, edited params).
 */
import type { ReactNode } from 'react';
import { ErrorBoundary, getErrorMessage, type FallbackProps } from 'react-error-boundary';

function messageOf(error: unknown): string {
  return getErrorMessage(error) ?? String(error);
}

export function Boundary({ what, resetKeys, compact = false, children }: { what: string; resetKeys?: unknown[]; compact?: boolean; children: ReactNode }) {
  const fallback = ({ error, resetErrorBoundary }: FallbackProps) =>
    compact ? (
      <div className="boundary-error compact" role="alert" data-testid="boundary-error" title={messageOf(error)}>
        {what} failed: {messageOf(error)}
      </div>
    ) : (
      <div className="boundary-error" role="alert" data-testid="boundary-error">
        <b>{what} could not be shown</b>
        <p className="error-text">{messageOf(error)}</p>
        <p className="muted">Nothing was lost: the graph and your stored work are unaffected.</p>
        <button type="button" onClick={resetErrorBoundary}>
          Try again
        </button>
      </div>
    );
  return (
    <ErrorBoundary fallbackRender={fallback} resetKeys={resetKeys} onError={(error, info) => console.error(`${what} failed to render`, error, info.componentStack)}>
      {children}
    </ErrorBoundary>
  );
}
