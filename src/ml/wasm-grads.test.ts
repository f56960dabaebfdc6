/**
 * The conv filter gradient registered for wasm against tfjs's cpu kernel, on random shapes:
 * strides, paddings (same, valid, numeric, explicit), channels, filter sizes, both data formats.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideTf } from './tf';
import { seededRandom } from '../data/random';
import { registerWasmTrainingKernels } from './wasm-grads';

beforeAll(async () => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  provideTf(tf);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'same' | 'valid' | number | [number, number][];
interface Case {
  x: number[];
  dy: number[];
  xShape: [number, number, number, number];
  dyShape: [number, number, number, number];
  attrs: { strides: [number, number]; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; filterShape: [number, number, number, number] };
}

function randomCases(count: number): Case[] {
  const random = seededRandom(2024);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cases: Case[] = [];
  while (cases.length < count) {
    const [batch, height, width, inChannels, outChannels] = [int(1, 3), int(3, 9), int(3, 9), int(1, 5), int(1, 6)];
    const dataFormat = cases.length % 5 === 4 ? 'NCHW' : 'NHWC';
    const [rows, cols]: [number, number][] = [[int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)]];
    const explicit: Pad = dataFormat === 'NHWC' ? [[0, 0], rows, cols, [0, 0]] : [[0, 0], [0, 0], rows, cols];
    const pads: Pad[] = ['same', 'valid', int(0, 2), explicit];
    const pad = pads[cases.length % pads.length];
    // tfjs sizes a numeric pad's output from the filter height and stride alone: keep those square.
    const square = typeof pad === 'number';
    const fh = int(1, Math.min(4, height, width));
    const fw = square ? fh : int(1, Math.min(4, width));
    const sh = int(1, 3);
    const strides: [number, number] = [sh, square ? sh : int(1, 3)];
    const xShape: Case['xShape'] = dataFormat === 'NHWC' ? [batch, height, width, inChannels] : [batch, inChannels, height, width];
    // The forward pass says what shape the output gradient has (and whether the case is valid at all).
    const outShape = ((): number[] | null => {
      try {
        return tf.tidy(() => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros([fh, fw, inChannels, outChannels]) as tf.Tensor4D, strides, pad as 'same', dataFormat).shape);
      } catch {
        return null;
      }
    })();
    if (!outShape || outShape.some((d) => d < 1)) continue;
    const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);
    cases.push({
      x: values(xShape.reduce((a, b) => a * b)),
      dy: values(outShape.reduce((a, b) => a * b)),
      xShape,
      dyShape: outShape as Case['dyShape'],
      attrs: { strides, pad, dataFormat, filterShape: [fh, fw, inChannels, outChannels] },
    });
  }
  return cases;
}

function filterGradients(cases: Case[]): number[][] {
  return cases.map((c) =>
    tf.tidy(() => {
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(c.x, c.xShape), dy: tf.tensor4d(c.dy, c.dyShape) }, c.attrs as never) as tf.Tensor;
      expect(dw.shape).toEqual(c.attrs.filterShape);
      return Array.from(dw.dataSync());
    }),
  );
}

describe('wasm Conv2DBackpropFilter', () => {
  it('is missing from tfjs-backend-wasm until registered, and registering twice is harmless', async () => {
    await tf.setBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    registerWasmTrainingKernels(tf);
    registerWasmTrainingKernels(tf);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('matches the cpu kernel to 1e-4 on 60 random shapes, strides, paddings and data formats, and frees its temporaries', async () => {
    await tf.setBackend('cpu');
    const cases = randomCases(60);
    const expected = filterGradients(cases);
    await tf.setBackend('wasm');
    registerWasmTrainingKernels(tf);
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const actual = filterGradients(cases);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    cases.forEach((c, i) => {
      const worst = Math.max(...actual[i].map((v, k) => Math.abs(v - expected[i][k])));
      expect(worst, JSON.stringify({ ...c.attrs, xShape: c.xShape })).toBeLessThan(1e-4);
    });
    expect(new Set(cases.map((c) => JSON.stringify(c.attrs.pad).replace(/\d/g, 'n'))).size).toBe(4);
  });

  it('gives a conv layer the same gradients on wasm as on cpu', async () => {
    const random = seededRandom(7);
    const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);
    const [x, w, b] = [values(2 * 6 * 6 * 3), values(3 * 3 * 3 * 4), values(4)];
    const gradients = () =>
      tf.tidy(() => {
        const loss = (...[input, filter, bias]: tf.Tensor[]) =>
          tf.fused.conv2d({ x: input as tf.Tensor4D, filter: filter as tf.Tensor4D, bias, strides: 1, pad: 'same', activation: 'relu' }).square().sum();
        return tf.grads(loss)([tf.tensor4d(x, [2, 6, 6, 3]), tf.tensor4d(w, [3, 3, 3, 4]), tf.tensor1d(b)]).map((g) => Array.from(g.dataSync()));
      });
    await tf.setBackend('cpu');
    const expected = gradients();
    await tf.setBackend('wasm');
    registerWasmTrainingKernels(tf);
    const actual = gradients();
    actual.forEach((g, i) => expect(Math.max(...g.map((v, k) => Math.abs(v - expected[i][k])))).toBeLessThan(1e-4));
  });
});
