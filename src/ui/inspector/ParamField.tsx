/**
 * One generated form field per param spec. Invalid input is shown and refused: the graph
 * keeps its last valid value; nothing is clamped or coerced.
 */
import { useId, useState } from 'react';
import { checkParam, parseParamText, type ParamSpec } from '../../engine/params';
import { errorMessage } from '../../engine/errors';

export interface ColumnInfo {
  name: string;
  dtype: string;
  role?: string;
}

interface Props {
  name: string;
  spec: ParamSpec;
  value: unknown;
  /** Columns of the upstream output (null when it has not run yet). */
  columns: ColumnInfo[] | null;
  /** A cross-param problem reported by the node type's own check. */
  crossProblem?: string;
  onCommit(value: unknown): void;
}

export function textOf(spec: ParamSpec, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (spec.kind === 'json') return JSON.stringify(value, null, 2);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Parses and checks text typed into a field: the value to commit, or the message why not. */
export function readField(spec: ParamSpec, text: string): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = parseParamText(spec, text);
  } catch (error) {
    return { error: errorMessage(error) };
  }
  const problem = checkParam(spec, value);
  return problem ? { error: `${spec.label ?? 'Value'} ${problem}` } : { value };
}

function columnFits(kind: string, column: ColumnInfo): boolean {
  switch (kind) {
    case 'numeric':
      return column.dtype === 'number' || column.dtype === 'boolean';
    case 'category':
      return column.dtype === 'category' || column.dtype === 'text' || column.dtype === 'boolean';
    case 'feature':
      return column.role !== 'target';
    case 'target':
      return true;
    default:
      return true;
  }
}

export function ParamField({ name, spec, value, columns, crossProblem, onCommit }: Props) {
  const id = useId();
  const label = spec.label ?? name;
  const committedText = textOf(spec, value);
  // A draft only while the user types; it drops when the committed value changes (undo, other node).
  const [draft, setDraft] = useState<{ base: string; text: string } | null>(null);
  const text = draft && draft.base === committedText ? draft.text : committedText;
  const checked = draft && draft.base === committedText ? readField(spec, draft.text) : null;
  const error = checked && 'error' in checked ? checked.error : (checkParam(spec, value) ?? crossProblem ?? null);

  const commitText = () => {
    if (!draft || draft.base !== committedText) return;
    const result = readField(spec, draft.text);
    if ('value' in result) {
      if (JSON.stringify(result.value) !== JSON.stringify(value)) onCommit(result.value);
      setDraft(null);
    }
  };
  const textProps = {
    id,
    value: text,
    'aria-invalid': Boolean(error),
    'aria-describedby': error ? `${id}-error` : undefined,
    'data-testid': `param-${name}`,
    onChange: (e: { target: { value: string } }) => setDraft({ base: committedText, text: e.target.value }),
    onBlur: commitText,
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement)) commitText();
      if (e.key === 'Escape') setDraft(null);
    },
  };

  let control: React.ReactNode;
  switch (spec.kind) {
    case 'select':
      control = (
        <select id={id} value={String(value)} data-testid={`param-${name}`} onChange={(e) => onCommit(e.target.value)}>
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      control = <input id={id} type="checkbox" checked={value === true} data-testid={`param-${name}`} onChange={(e) => onCommit(e.target.checked)} />;
      break;
    case 'column': {
      const options = (columns ?? []).filter((c) => columnFits(spec.columnKind, c));
      control = columns ? (
        <select id={id} value={String(value ?? '')} data-testid={`param-${name}`} onChange={(e) => onCommit(e.target.value)}>
          <option value="">{spec.optional ? '(none)' : '(choose a column)'}</option>
          {String(value ?? '') && !options.some((c) => c.name === value) && <option value={String(value)}>{String(value)} (not upstream)</option>}
          {options.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.dtype})
            </option>
          ))}
        </select>
      ) : (
        <input {...textProps} placeholder="column name (run upstream to list columns)" />
      );
      break;
    }
    case 'columns': {
      const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
      const options = (columns ?? []).filter((c) => columnFits(spec.columnKind, c));
      control = columns ? (
        <div className="checks" role="group" aria-labelledby={`${id}-label`} data-testid={`param-${name}`}>
          {options.map((c) => (
            <label key={c.name}>
              <input
                type="checkbox"
                checked={chosen.has(c.name)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(c.name);
                  else next.delete(c.name);
                  onCommit(options.map((o) => o.name).filter((n) => next.has(n)));
                }}
              />{' '}
              {c.name}
            </label>
          ))}
          {options.length === 0 && <span className="muted">No matching upstream column</span>}
          {chosen.size === 0 && <span className="muted">(none chosen: all that fit)</span>}
        </div>
      ) : (
        <input {...textProps} placeholder="comma-separated (empty = all that fit)" />
      );
      break;
    }
    case 'json':
      control = <textarea {...textProps} rows={5} spellCheck={false} />;
      break;
    case 'text':
      control = spec.multiline ? <textarea {...textProps} rows={4} placeholder={spec.placeholder} /> : <input {...textProps} placeholder={spec.placeholder} />;
      break;
    case 'number':
    case 'int':
      control = <input {...textProps} inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'} />;
      break;
    case 'list':
      control = <input {...textProps} placeholder="comma-separated" />;
      break;
  }

  const bounds =
    (spec.kind === 'number' || spec.kind === 'int') && (spec.min !== undefined || spec.max !== undefined)
      ? ` (${spec.min ?? '−∞'} … ${spec.max ?? '∞'})`
      : '';
  return (
    <div className="field">
      <label htmlFor={id} id={`${id}-label`}>
        {label}
        <span className="muted" style={{ fontWeight: 400 }}>
          {bounds}
        </span>
      </label>
      {control}
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert" data-testid={`param-error-${name}`}>
          {error}
        </span>
      )}
      {spec.help && <span className="help">{spec.help}</span>}
    </div>
  );
}
