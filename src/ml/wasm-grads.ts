/**
 * Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 does not register, built from
 * kernels it does have, so convolutional networks train on wasm instead of falling back to
 * the ~15× slower cpu backend.
 *
 * Conv2DBackpropFilter (the filter gradient of conv2d) is the 3-D filter gradient, which wasm
 * implements natively (Conv3DBackpropFilterV2), run on the same memory viewed with a depth of
 * one: input [b, h, w, c] as [b, 1, h, w, c], output gradient [b, oh, ow, oc] as
 * [b, 1, oh, ow, oc], filter [fh, fw, c, oc] as [1, fh, fw, c, oc]. Views cost no copy (a
 * shape is all a wasm tensor carries besides its data). Every padding becomes zeros added to
 * the input (PadV2) and a 'valid' stride-1 gradient, because wasm's 3-D kernel gets strides
 * above 1 wrong (checked against a plain loop): a stride-s gradient is the stride-1 gradient
 * of the output gradient spread out with s − 1 zeros between its values. NCHW is transposed first.
 *
 * The depthwise gradients are not needed: no layer the app builds is depthwise.
 * Registered by `registerWasmTrainingKernels`, which the training code calls before it trains
 * on wasm (tfjs itself stays out of the main-thread bundle: this file is reached only from the
 * worker, the CLI and tests, through src/ml/train.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './tf';

type TensorInfo = TF.TensorInfo;
type KernelFunc = TF.KernelConfig['kernelFunc'];
type Backend = Parameters<KernelFunc>[0]['backend'] & { disposeData(dataId: object): void };

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const view = (info: TensorInfo, shape: number[]): TensorInfo => ({ dataId: info.dataId, shape, dtype: info.dtype });

/** Calls another wasm kernel directly (inside a kernel the engine must not be re-entered). */
function kernel(t: Tf, name: string): KernelFunc {
  const config = t.getKernel(name, 'wasm');
  if (!config) throw new Error(`the wasm backend has no ${name} kernel to build conv gradients from`);
  return config.kernelFunc;
}

export function conv2dBackpropFilterKernel(t: Tf): KernelFunc {
  const conv3dBackpropFilter = kernel(t, 'Conv3DBackpropFilterV2');
  const pad = kernel(t, 'PadV2');
  const slice = kernel(t, 'Slice');
  const transpose = kernel(t, 'Transpose');
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as Backend;
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const temporaries: TensorInfo[] = [];
    const run = (f: KernelFunc, x: TensorInfo, kernelAttrs: Record<string, unknown>) => {
      const out = f({ inputs: { x }, backend, attrs: kernelAttrs as never }) as TensorInfo;
      temporaries.push(out);
      return out;
    };
    try {
      let x = inputs.x as TensorInfo;
      let dy = inputs.dy as TensorInfo;
      const channelsFirst = a.dataFormat === 'NCHW';
      if (channelsFirst) {
        x = run(transpose, x, { perm: [0, 2, 3, 1] });
        dy = run(transpose, dy, { perm: [0, 2, 3, 1] });
      }
      const [fh, fw, inChannels, outChannels] = a.filterShape;
      const [batch, height, width, channels] = x.shape;
      const [, outHeight, outWidth] = dy.shape;
      const [strideHeight, strideWidth] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      if (channels !== inChannels) throw new Error(`Conv2DBackpropFilter on wasm: the input has ${channels} channels, the filter ${inChannels}`);

      // Where the first window starts (tfjs's padding rules; explicit paddings follow the data format).
      let top = 0;
      let left = 0;
      if (a.pad === 'same') {
        top = Math.floor(Math.max(0, (outHeight - 1) * strideHeight + fh - height) / 2);
        left = Math.floor(Math.max(0, (outWidth - 1) * strideWidth + fw - width) / 2);
      } else if (typeof a.pad === 'number') {
        [top, left] = [a.pad, a.pad];
      } else if (a.pad !== 'valid') {
        [top, left] = channelsFirst ? [a.pad[2][0], a.pad[3][0]] : [a.pad[1][0], a.pad[2][0]];
      }
      // The input rows and columns the windows cover: pad (zeros) and crop x to exactly those.
      const spanHeight = (outHeight - 1) * strideHeight + fh;
      const spanWidth = (outWidth - 1) * strideWidth + fw;
      const bottom = Math.max(0, spanHeight - height - top);
      const right = Math.max(0, spanWidth - width - left);
      if (top + bottom + left + right > 0) x = run(pad, x, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
      if (x.shape[1] !== spanHeight || x.shape[2] !== spanWidth) x = run(slice, x, { begin: [0, 0, 0, 0], size: [batch, spanHeight, spanWidth, channels] });
      // wasm's 3-D filter gradient is wrong for strides above 1: spread the output gradient out
      // with zeros between its values instead (a stride-s gradient is the stride-1 one of that).
      if (strideHeight > 1 || strideWidth > 1) {
        const spread = run(pad, view(dy, [batch, outHeight, 1, outWidth, 1, outChannels]), {
          paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
          constantValue: 0,
        });
        dy = run(slice, view(spread, [batch, outHeight * strideHeight, outWidth * strideWidth, outChannels]), {
          begin: [0, 0, 0, 0],
          size: [batch, spanHeight - fh + 1, spanWidth - fw + 1, outChannels],
        });
      }
      const [, dyHeight, dyWidth] = dy.shape;
      const dw = conv3dBackpropFilter({
        inputs: { x: view(x, [batch, 1, spanHeight, spanWidth, channels]), dy: view(dy, [batch, 1, dyHeight, dyWidth, outChannels]) },
        backend,
        attrs: { strides: [1, 1, 1], pad: 'valid', filterShape: [1, fh, fw, inChannels, outChannels] } as never,
      }) as TensorInfo;
      return view(dw, [fh, fw, inChannels, outChannels]);
    } finally {
      for (const temporary of temporaries) backend.disposeData(temporary.dataId);
    }
  };
}

/** Registers the missing gradient kernels for the wasm backend (once; a no-op when present). */
export function registerWasmTrainingKernels(t: Tf): void {
  if (t.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  t.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterKernel(t) });
}
