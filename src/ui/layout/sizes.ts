/**
 * The workspace's panel sizes in pixels and the arithmetic that keeps them inside the window:
 * side panel | (canvas over output) | inspector, where the canvas takes whatever is left.
 * Pure functions, so every rule here is unit-tested (sizes.test.ts); the hook applies them.
 */

/** Limits of each panel (px; a fraction is of the workspace's width). */
export const LIMITS = {
  side: { min: 170, maxFraction: 0.45 },
  inspector: { min: 200, maxFraction: 0.45 },
  centerMin: 280,
  canvasMin: 120,
  outputMin: 90,
} as const;

/** Height of the output panel collapsed to its header (px). */
export const OUTPUT_COLLAPSED = 34;
/** Dragged or stepped below this height, the output panel collapses (halfway from collapsed to its min). */
export const OUTPUT_COLLAPSE_BELOW = (OUTPUT_COLLAPSED + LIMITS.outputMin) / 2;
/** Room a separator takes in the flow: a 7-px hit area overlapping its neighbours by 3 px each side. */
export const SEPARATOR_PX = 1;
/** How far one arrow key moves a separator (px); Shift moves it five times as far. */
export const KEY_STEP_PX = 20;

/** The sizes a person asked for (or the first-visit ones); the window may force smaller ones. */
export interface PanelSizes {
  side: number;
  inspector: number;
  /** The output panel's height when open. */
  output: number;
  outputOpen: boolean;
}

/** The sizes drawn on screen: `preferred` fitted into the workspace's width and the centre's height. */
export interface FittedSizes {
  side: number;
  inspector: number;
  /** The output panel's height as drawn: OUTPUT_COLLAPSED when collapsed. */
  output: number;
}

export interface Range {
  min: number;
  max: number;
}

export function clamp(value: number, { min, max }: Range): number {
  return Math.min(Math.max(value, min), max);
}

/** First-visit sizes: a narrow window (< 1200 px) keeps more of its width for the canvas. */
export function defaultSizes(windowWidth: number): PanelSizes {
  const columns = windowWidth < 1200 ? { side: 220, inspector: 250 } : { side: 250, inspector: 300 };
  return { ...columns, output: 220, outputOpen: true };
}

/** The widths a side column may take: from its min to its share of the workspace, leaving the centre its min. */
export function columnRange(column: 'side' | 'inspector', workspaceWidth: number, otherColumnWidth: number): Range {
  const { min, maxFraction } = LIMITS[column];
  const leftForThisColumn = workspaceWidth - otherColumnWidth - LIMITS.centerMin - 2 * SEPARATOR_PX;
  const max = Math.floor(Math.min(workspaceWidth * maxFraction, leftForThisColumn));
  return { min, max: Math.max(min, max) };
}

/**
 * The column widths drawn for a workspace this wide. Each keeps to its own limits; when the two
 * leave the centre less than its min, both give way (in proportion to what they have above
 * their mins) so the canvas keeps its room and nothing scrolls sideways.
 */
export function fitColumns(preferred: Pick<PanelSizes, 'side' | 'inspector'>, workspaceWidth: number): Pick<FittedSizes, 'side' | 'inspector'> {
  const within = (column: 'side' | 'inspector') => {
    const { min, maxFraction } = LIMITS[column];
    return Math.max(min, Math.min(preferred[column], Math.floor(workspaceWidth * maxFraction)));
  };
  const side = within('side');
  const inspector = within('inspector');
  const room = workspaceWidth - LIMITS.centerMin - 2 * SEPARATOR_PX;
  const excess = side + inspector - room;
  if (excess <= 0) return { side, inspector };
  const sideSlack = side - LIMITS.side.min;
  const inspectorSlack = inspector - LIMITS.inspector.min;
  const slack = sideSlack + inspectorSlack;
  // Too small even for both mins: they stay at their mins and the centre takes what is left.
  if (slack <= excess) return { side: LIMITS.side.min, inspector: LIMITS.inspector.min };
  const sideGivesUp = Math.ceil((excess * sideSlack) / slack);
  return { side: side - sideGivesUp, inspector: inspector - (excess - sideGivesUp) };
}

/** The heights the open output panel may take in a centre column this tall, leaving the canvas its min. */
export function outputRange(centerHeight: number): Range {
  const max = Math.floor(centerHeight - LIMITS.canvasMin - SEPARATOR_PX);
  return { min: LIMITS.outputMin, max: Math.max(LIMITS.outputMin, max) };
}

/** The output panel's height drawn in a centre column this tall. */
export function fitOutput(preferred: Pick<PanelSizes, 'output' | 'outputOpen'>, centerHeight: number): number {
  return preferred.outputOpen ? clamp(preferred.output, outputRange(centerHeight)) : OUTPUT_COLLAPSED;
}

export function fitSizes(preferred: PanelSizes, workspaceWidth: number, centerHeight: number): FittedSizes {
  return { ...fitColumns(preferred, workspaceWidth), output: fitOutput(preferred, centerHeight) };
}

/**
 * The output panel after its separator is dragged so that it would be `wanted` px tall. Below
 * OUTPUT_COLLAPSE_BELOW it collapses and keeps `openHeight` (its height before the drag) for when
 * it opens again; above, it opens at no less than its min.
 */
export function dragOutput(wanted: number, openHeight: number, centerHeight: number): Pick<PanelSizes, 'output' | 'outputOpen'> {
  if (wanted < OUTPUT_COLLAPSE_BELOW) return { output: openHeight, outputOpen: false };
  return { output: clamp(wanted, outputRange(centerHeight)), outputOpen: true };
}

/**
 * The output panel after one arrow-key step that grows it by `grow` px (negative: shrinks):
 * a step down from its min collapses it, a step up from collapsed opens it at its min.
 */
export function stepOutput(preferred: Pick<PanelSizes, 'output' | 'outputOpen'>, drawnHeight: number, grow: number, centerHeight: number): Pick<PanelSizes, 'output' | 'outputOpen'> {
  if (!preferred.outputOpen) return grow > 0 ? { output: LIMITS.outputMin, outputOpen: true } : preferred;
  if (grow < 0 && drawnHeight <= LIMITS.outputMin) return { output: preferred.output, outputOpen: false };
  return { output: clamp(drawnHeight + grow, outputRange(centerHeight)), outputOpen: true };
}

/**
 * Sizes a person chose, as stored. Each field is read on its own: one that is missing or
 * malformed falls back to its first-visit value, never failing the page.
 */
export function parseStoredSizes(raw: string | null): Partial<PanelSizes> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const record = parsed as Record<string, unknown>;
  const sizes: Partial<PanelSizes> = {};
  for (const key of ['side', 'inspector', 'output'] as const) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) sizes[key] = value;
  }
  if (typeof record.outputOpen === 'boolean') sizes.outputOpen = record.outputOpen;
  return sizes;
}
