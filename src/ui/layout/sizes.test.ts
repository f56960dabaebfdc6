import { describe, expect, it } from 'vitest';
import {
  columnRange,
  defaultSizes,
  dragOutput,
  fitColumns,
  fitOutput,
  fitSizes,
  LIMITS,
  OUTPUT_COLLAPSE_BELOW,
  OUTPUT_COLLAPSED,
  outputRange,
  parseStoredSizes,
  SEPARATOR_PX,
  stepOutput,
} from './sizes';

/** The canvas's width once the columns are drawn in a workspace this wide. */
const centerWidth = (columns: { side: number; inspector: number }, workspaceWidth: number) => workspaceWidth - columns.side - columns.inspector - 2 * SEPARATOR_PX;

describe('defaultSizes', () => {
  it('gives a narrow window (< 1200 px) narrower side columns, and the output panel 220 px open', () => {
    expect(defaultSizes(1024)).toEqual({ side: 220, inspector: 250, output: 220, outputOpen: true });
    expect(defaultSizes(1199)).toMatchObject({ side: 220, inspector: 250 });
    expect(defaultSizes(1200)).toMatchObject({ side: 250, inspector: 300 });
    expect(defaultSizes(1440)).toEqual({ side: 250, inspector: 300, output: 220, outputOpen: true });
  });
});

describe('fitColumns', () => {
  it('draws the sizes asked for when they fit', () => {
    expect(fitColumns({ side: 250, inspector: 300 }, 1440)).toEqual({ side: 250, inspector: 300 });
  });

  it('keeps each column between its min and 45 % of the workspace', () => {
    expect(fitColumns({ side: 50, inspector: 10 }, 1440)).toEqual({ side: LIMITS.side.min, inspector: LIMITS.inspector.min });
    expect(fitColumns({ side: 900, inspector: 200 }, 1440)).toEqual({ side: 648, inspector: 200 });
    expect(fitColumns({ side: 170, inspector: 900 }, 1000)).toEqual({ side: 170, inspector: 450 });
  });

  it('narrows both columns, in proportion to their room above their mins, so the canvas keeps its min', () => {
    // 45 % each of 1024 is 460: 460 + 460 leaves the centre far less than 280.
    const fitted = fitColumns({ side: 600, inspector: 600 }, 1024);
    expect(centerWidth(fitted, 1024)).toBe(LIMITS.centerMin);
    expect(fitted.side).toBeGreaterThan(LIMITS.side.min);
    expect(fitted.inspector).toBeGreaterThan(LIMITS.inspector.min);
    // Both had 460 px: each gives up the same share of its room above its min (side 290 px, inspector 260 px).
    expect(fitted.side - LIMITS.side.min).toBeCloseTo(((fitted.inspector - LIMITS.inspector.min) * 290) / 260, -0.5);
  });

  it('keeps the first-visit sizes of a 1024-px window, with no sideways overflow', () => {
    const fitted = fitColumns(defaultSizes(1024), 1024);
    expect(fitted).toEqual({ side: 220, inspector: 250 });
    expect(centerWidth(fitted, 1024)).toBeGreaterThanOrEqual(LIMITS.centerMin);
  });

  it('leaves both columns at their mins in a window too small for all three mins', () => {
    expect(fitColumns({ side: 300, inspector: 300 }, 600)).toEqual({ side: LIMITS.side.min, inspector: LIMITS.inspector.min });
  });

  it('never leaves the centre under its min at any width that holds all three mins (652 px up)', () => {
    for (let width = 652; width <= 2600; width += 37) {
      for (const preferred of [defaultSizes(width), { side: 5000, inspector: 5000 }, { side: 170, inspector: 5000 }]) {
        const fitted = fitColumns(preferred, width);
        expect(centerWidth(fitted, width), `at ${width} px`).toBeGreaterThanOrEqual(LIMITS.centerMin);
        expect(fitted.side).toBeGreaterThanOrEqual(LIMITS.side.min);
        expect(fitted.inspector).toBeGreaterThanOrEqual(LIMITS.inspector.min);
      }
    }
  });
});

describe('columnRange', () => {
  it('goes from the column min to 45 % of the workspace', () => {
    expect(columnRange('side', 1440, 300)).toEqual({ min: 170, max: 648 });
    expect(columnRange('inspector', 1440, 250)).toEqual({ min: 200, max: 648 });
  });

  it('stops where the centre would fall under its min', () => {
    // 1024 - 250 - 280 - 2 = 492 > 45 % (460); with a 450-px inspector only 292 is left.
    expect(columnRange('side', 1024, 250)).toEqual({ min: 170, max: 460 });
    expect(columnRange('side', 1024, 450)).toEqual({ min: 170, max: 292 });
  });

  it('never has a max under its min', () => {
    expect(columnRange('side', 500, 300)).toEqual({ min: 170, max: 170 });
  });
});

describe('the output panel', () => {
  it('is drawn between its min and what leaves the canvas its min, or as its header when collapsed', () => {
    expect(outputRange(640)).toEqual({ min: LIMITS.outputMin, max: 640 - LIMITS.canvasMin - SEPARATOR_PX });
    expect(fitOutput({ output: 220, outputOpen: true }, 640)).toBe(220);
    expect(fitOutput({ output: 10, outputOpen: true }, 640)).toBe(LIMITS.outputMin);
    expect(fitOutput({ output: 900, outputOpen: true }, 640)).toBe(519);
    expect(fitOutput({ output: 220, outputOpen: false }, 640)).toBe(OUTPUT_COLLAPSED);
    expect(fitSizes({ ...defaultSizes(1440), outputOpen: false }, 1440, 800)).toEqual({ side: 250, inspector: 300, output: OUTPUT_COLLAPSED });
  });

  it('dragged under its min, stops at its min; further, collapses and keeps its height from before the drag', () => {
    expect(dragOutput(150, 220, 640)).toEqual({ output: 150, outputOpen: true });
    expect(dragOutput(70, 220, 640)).toEqual({ output: LIMITS.outputMin, outputOpen: true });
    expect(dragOutput(OUTPUT_COLLAPSE_BELOW, 220, 640)).toEqual({ output: LIMITS.outputMin, outputOpen: true });
    expect(dragOutput(OUTPUT_COLLAPSE_BELOW - 1, 220, 640)).toEqual({ output: 220, outputOpen: false });
    expect(dragOutput(-300, 220, 640)).toEqual({ output: 220, outputOpen: false });
  });

  it('dragged up from collapsed, opens at its min at least, and never takes the canvas under its min', () => {
    expect(dragOutput(OUTPUT_COLLAPSED + 40, 220, 640)).toEqual({ output: LIMITS.outputMin, outputOpen: true });
    expect(dragOutput(2000, 220, 640)).toEqual({ output: 519, outputOpen: true });
  });

  it('steps by keyboard: a step down from its min collapses it, a step up from collapsed opens it at its min', () => {
    const open = { output: 220, outputOpen: true };
    expect(stepOutput(open, 220, -20, 640)).toEqual({ output: 200, outputOpen: true });
    expect(stepOutput(open, 220, 20, 640)).toEqual({ output: 240, outputOpen: true });
    expect(stepOutput({ output: 100, outputOpen: true }, 100, -20, 640)).toEqual({ output: LIMITS.outputMin, outputOpen: true });
    expect(stepOutput({ output: 90, outputOpen: true }, 90, -20, 640)).toEqual({ output: 90, outputOpen: false });
    expect(stepOutput({ output: 220, outputOpen: false }, OUTPUT_COLLAPSED, -20, 640)).toEqual({ output: 220, outputOpen: false });
    expect(stepOutput({ output: 220, outputOpen: false }, OUTPUT_COLLAPSED, 20, 640)).toEqual({ output: LIMITS.outputMin, outputOpen: true });
    expect(stepOutput(open, 510, 100, 640)).toEqual({ output: 519, outputOpen: true });
  });
});

describe('stored sizes', () => {
  it('reads what was saved', () => {
    expect(parseStoredSizes(JSON.stringify({ side: 320, inspector: 280, output: 300, outputOpen: false }))).toEqual({ side: 320, inspector: 280, output: 300, outputOpen: false });
    expect(parseStoredSizes(JSON.stringify({ side: 320 }))).toEqual({ side: 320 });
  });

  it('ignores a missing or malformed value, field by field, without throwing', () => {
    for (const raw of [null, '', 'not json', '{', 'null', '42', '"side"', '[250, 300]', 'true']) expect(parseStoredSizes(raw), String(raw)).toEqual({});
    expect(parseStoredSizes(JSON.stringify({ side: '250', inspector: -3, output: 0, outputOpen: 'yes' }))).toEqual({});
    expect(parseStoredSizes('{"side": 1e999, "inspector": 260}')).toEqual({ inspector: 260 });
    expect(parseStoredSizes(JSON.stringify({ side: null, inspector: { px: 2 }, output: 180, extra: 1 }))).toEqual({ output: 180 });
  });
});
