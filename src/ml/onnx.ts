/**
 * ONNX export of a dense model together with its fitted preprocessing chain, as ONE graph
 * that takes the raw feature columns (what a record sent to an endpoint holds):
 *   inputs   one per raw column, shape [N, 1]: tensor(double) for number/boolean/datetime
 *            (NaN = missing), tensor(string) for category/text ("" = missing)
 *   chain    impute, scale, one-hot, ordinal and dropped columns, in float64 like src/data's
 *            appliers (categories become int64 codes through ai.onnx.ml LabelEncoder)
 *   network  Dense layers (Gemm + activation; Dropout is the identity at inference) in float32
 *   outputs  classification: `probabilities` float [N, K] and `label` string [N];
 *            regression: `prediction` double [N, 1] in the target's units
 * Anything not mapped yet (conv layers, PCA, binning …) is refused with a message naming it.
 * The protobuf messages come from the vendored onnx.proto3 (vendor/onnx), as protobufjs JSON.
 * Pure TypeScript: no tfjs, so it runs in the CLI and on the page alike.
 */
import protobuf from 'protobufjs/light.js';
import { describeTransform } from '../data/transforms';
import type { ColumnSchema, ModelArtifact } from '../data/types';
import type { ModelTarget } from './data';
import onnxProto from './onnx-proto.json' with { type: 'json' };
import { encodeMessage } from './proto-encode';

export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}

const IR_VERSION = 8;
const OPSET = 17;
const ML_OPSET = 3;
const FLOAT = 1;
const INT64 = 7;
const STRING = 8;
const BOOL = 9;
const DOUBLE = 11;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

type Attribute = { name: string; type: number; f?: number; i?: number; s?: Uint8Array; ints?: number[]; floats?: number[]; strings?: Uint8Array[]; t?: Tensor };
interface Tensor {
  name?: string;
  dims: number[];
  dataType: number;
  floatData?: number[];
  doubleData?: number[];
  int64Data?: number[];
  stringData?: Uint8Array[];
}
interface OnnxNode {
  name: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Builds the node list; every value gets a fresh name. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Tensor[] = [];
  private counter = 0;

  fresh(hint: string): string {
    return `${hint.replace(/[^A-Za-z0-9_]+/g, '_').slice(0, 40)}_${++this.counter}`;
  }

  constant(hint: string, tensor: Omit<Tensor, 'name'>): string {
    const name = this.fresh(hint);
    this.initializers.push({ ...tensor, name });
    return name;
  }

  scalarDouble(value: number): string {
    return this.constant('c', { dims: [], dataType: DOUBLE, doubleData: [value] });
  }

  scalarInt64(value: number): string {
    return this.constant('c', { dims: [], dataType: INT64, int64Data: [value] });
  }

  op(opType: string, inputs: string[], attributes: Attribute[] = [], options: { domain?: string; hint?: string; output?: string } = {}): string {
    const output = options.output ?? this.fresh(options.hint ?? opType.toLowerCase());
    this.nodes.push({ name: `${opType}_${this.nodes.length}`, opType, input: inputs, output: [output], attribute: attributes, ...(options.domain ? { domain: options.domain } : {}) });
    return output;
  }
}

const attrInt = (name: string, i: number): Attribute => ({ name, type: ATTR.INT, i });
const attrFloat = (name: string, f: number): Attribute => ({ name, type: ATTR.FLOAT, f });

/** A column while the chain is replayed: a double tensor, or int64 codes into a vocabulary (-1 missing, -2 unseen). */
type Value = { kind: 'number'; name: string } | { kind: 'codes'; name: string; vocabulary: Map<string, number> };

interface StepState {
  columns: string[];
  fills?: (number | string)[];
  centers?: number[];
  scales?: number[];
  categories?: string[][];
}

/** Every label a chain may compare a category/text column with: encoder categories and imputer fills. */
function vocabularyOf(chain: ModelArtifact['transforms'], column: string): string[] {
  const labels = new Set<string>();
  for (const step of chain) {
    const state = step.state as unknown as StepState;
    const j = state.columns?.indexOf(column) ?? -1;
    if (j < 0) continue;
    if ((step.kind === 'onehot' || step.kind === 'ordinal') && state.categories) for (const label of state.categories[j]) labels.add(label);
    if (step.kind === 'impute' && state.fills) labels.add(String(state.fills[j]));
  }
  return [...labels];
}

function rawInputs(builder: GraphBuilder, artifact: ModelArtifact, inputs: ValueInfo[]): Map<string, Value> {
  const env = new Map<string, Value>();
  for (const schema of artifact.rawSchema) {
    const text = schema.dtype === 'category' || schema.dtype === 'text';
    inputs.push({ name: schema.name, elemType: text ? STRING : DOUBLE, dims: ['N', 1] });
    if (!text) {
      env.set(schema.name, { kind: 'number', name: schema.name });
      continue;
    }
    const labels = vocabularyOf(artifact.transforms, schema.name);
    const vocabulary = new Map(labels.map((label, i) => [label, i]));
    const codes = builder.op(
      'LabelEncoder',
      [schema.name],
      [
        { name: 'keys_strings', type: ATTR.STRINGS, strings: [...labels, ''].map(utf8) },
        { name: 'values_int64s', type: ATTR.INTS, ints: [...labels.map((_, i) => i), -1] },
        attrInt('default_int64', -2),
      ],
      { domain: 'ai.onnx.ml', hint: `${schema.name}_codes` },
    );
    env.set(schema.name, { kind: 'codes', name: codes, vocabulary });
  }
  return env;
}

function columnValue(env: Map<string, Value>, name: string, step: string): Value {
  const value = env.get(name);
  if (!value) throw new OnnxExportError(`the ${step} step reads column "${name}", which is not there at that point of the chain`);
  return value;
}

/** 1.0 where `value` equals `label` (as the encoders compare labels), else 0.0; missing and unseen → 0. */
function isLabel(builder: GraphBuilder, value: Value, label: string, schema: ColumnSchema | undefined): string {
  if (value.kind === 'codes') {
    return builder.op('Cast', [builder.op('Equal', [value.name, builder.scalarInt64(value.vocabulary.get(label)!)])], [attrInt('to', DOUBLE)]);
  }
  // src/data's encoders label booleans 'true'/'false' and numbers by String(value) (exact for doubles).
  const number = schema?.dtype === 'boolean' || label === 'true' || label === 'false' ? (label === 'true' ? 1 : label === 'false' ? 0 : Number(label)) : Number(label);
  if (!Number.isFinite(number)) return builder.op('Mul', [value.name, builder.scalarDouble(0)]);
  return builder.op('Cast', [builder.op('Equal', [value.name, builder.scalarDouble(number)])], [attrInt('to', DOUBLE)]);
}

function applyStep(builder: GraphBuilder, env: Map<string, Value>, step: ModelArtifact['transforms'][number], schemas: Map<string, ColumnSchema>): void {
  const state = step.state as unknown as StepState;
  const describe = () => describeTransform(step);
  switch (step.kind) {
    case 'drop':
      for (const name of state.columns) env.delete(name);
      return;
    case 'impute':
      state.columns.forEach((name, j) => {
        const value = columnValue(env, name, 'impute');
        const fill = state.fills![j];
        if (value.kind === 'number') {
          const isNan = builder.op('IsNaN', [value.name]);
          env.set(name, { kind: 'number', name: builder.op('Where', [isNan, builder.scalarDouble(Number(fill)), value.name], [], { hint: `${name}_imputed` }) });
        } else {
          const missing = builder.op('Equal', [value.name, builder.scalarInt64(-1)]);
          const code = builder.scalarInt64(value.vocabulary.get(String(fill))!);
          env.set(name, { ...value, name: builder.op('Where', [missing, code, value.name], [], { hint: `${name}_imputed` }) });
        }
      });
      return;
    case 'scale':
      state.columns.forEach((name, j) => {
        const value = columnValue(env, name, 'scale');
        if (value.kind !== 'number') throw new OnnxExportError(`the scale step reads "${name}", which is not numeric there`);
        const centered = builder.op('Sub', [value.name, builder.scalarDouble(state.centers![j])]);
        env.set(name, { kind: 'number', name: builder.op('Div', [centered, builder.scalarDouble(state.scales![j])], [], { hint: `${name}_scaled` }) });
      });
      return;
    case 'onehot':
      state.columns.forEach((name, j) => {
        const value = columnValue(env, name, 'one-hot');
        env.delete(name);
        for (const label of state.categories![j]) env.set(`${name}=${label}`, { kind: 'number', name: isLabel(builder, value, label, schemas.get(name)) });
      });
      return;
    case 'ordinal':
      state.columns.forEach((name, j) => {
        const value = columnValue(env, name, 'ordinal');
        const categories = state.categories![j];
        if (value.kind === 'codes') {
          // Codes are -2 (unseen), -1 (missing), 0… (vocabulary): shift by 2 and look the ordinal code up.
          const table = [-1, NaN, ...[...value.vocabulary.keys()].map((label) => { const k = categories.indexOf(label); return k < 0 ? -1 : k; })];
          const index = builder.op('Add', [value.name, builder.scalarInt64(2)]);
          const lookup = builder.constant(`${name}_ordinal_table`, { dims: [table.length], dataType: DOUBLE, doubleData: table });
          env.set(name, { kind: 'number', name: builder.op('Gather', [lookup, index], [attrInt('axis', 0)], { hint: `${name}_ordinal` }) });
        } else {
          // Unseen → -1, each known label → its index, missing stays NaN.
          let out = builder.op('Mul', [value.name, builder.scalarDouble(0)]);
          out = builder.op('Add', [out, builder.scalarDouble(-1)]);
          categories.forEach((label, k) => {
            const hit = builder.op('Cast', [isLabel(builder, value, label, schemas.get(name))], [attrInt('to', BOOL)]);
            out = builder.op('Where', [hit, builder.scalarDouble(k), out]);
          });
          env.set(name, { kind: 'number', name: out });
        }
      });
      return;
    default:
      throw new OnnxExportError(`the preprocessing step "${describe()}" (${step.kind}) is not mapped to ONNX yet (mapped: impute, scale, one-hot, ordinal, drop)`);
  }
}

interface DenseLayer {
  units: number;
  activation: string;
  useBias: boolean;
  kernel: Float32Array;
  bias: Float32Array | null;
  name: string;
}

/** The network's layers as dense steps; refuses any layer that is not Dense/Dropout/InputLayer. */
export function denseLayers(artifact: ModelArtifact): DenseLayer[] {
  const topology = artifact.modelTopology as { class_name?: string; config?: { layers?: { class_name: string; config: Record<string, unknown> }[] } | { class_name: string; config: Record<string, unknown> }[] };
  const config = topology?.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) throw new OnnxExportError('the model topology has no layer list (expected a tfjs layers model)');
  const specs = artifact.weightSpecs as { name: string; shape: number[]; dtype: string }[];
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32') throw new OnnxExportError(`weight "${spec.name}" is ${spec.dtype}; only float32 weights are mapped`);
    weights.set(spec.name, new Float32Array(artifact.weightData.slice(offset, offset + size * 4)));
    offset += size * 4;
  }
  const out: DenseLayer[] = [];
  for (const layer of layers) {
    const name = String(layer.config.name ?? '');
    if (layer.class_name === 'Dropout' || layer.class_name === 'InputLayer') continue;
    if (layer.class_name !== 'Dense') {
      throw new OnnxExportError(`layer "${name}" (${layer.class_name}) is not mapped to ONNX yet: only dense models (linear, logistic, MLP) export`);
    }
    const kernel = weights.get(`${name}/kernel`);
    if (!kernel) throw new OnnxExportError(`layer "${name}" has no weight "${name}/kernel"`);
    const useBias = layer.config.use_bias !== false;
    out.push({ name, units: Number(layer.config.units), activation: String(layer.config.activation ?? 'linear'), useBias, kernel, bias: useBias ? (weights.get(`${name}/bias`) ?? null) : null });
  }
  if (out.length === 0) throw new OnnxExportError('the network has no Dense layer');
  return out;
}

function activation(builder: GraphBuilder, input: string, name: string, layer: string): string {
  switch (name) {
    case 'linear':
      return input;
    case 'relu':
      return builder.op('Relu', [input]);
    case 'tanh':
      return builder.op('Tanh', [input]);
    case 'sigmoid':
      return builder.op('Sigmoid', [input]);
    case 'elu':
      return builder.op('Elu', [input], [attrFloat('alpha', 1)]);
    case 'selu':
      return builder.op('Selu', [input], [attrFloat('alpha', 1.6732632423543772), attrFloat('gamma', 1.0507009873554805)]);
    case 'softmax':
      return builder.op('Softmax', [input], [attrInt('axis', -1)]);
    default:
      throw new OnnxExportError(`layer "${layer}" uses activation "${name}", which is not mapped to ONNX yet`);
  }
}

interface ValueInfo {
  name: string;
  elemType: number;
  dims: (string | number)[];
}

function valueInfo(info: ValueInfo) {
  return {
    name: info.name,
    type: { tensorType: { elemType: info.elemType, shape: { dim: info.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

const ModelProto = protobuf.Root.fromJSON(onnxProto as protobuf.INamespace).lookupType('onnx.ModelProto');

/** The ONNX model (serialized ModelProto) for a dense model artifact and its preprocessing chain. */
export function exportOnnx(artifact: ModelArtifact, options: { producerVersion?: string } = {}): Uint8Array {
  // Not ModelProto.encode: protobufjs compiles it with `Function`, which the app's CSP blocks.
  return encodeMessage(ModelProto, onnxModel(artifact, options));
}

/** The ModelProto as a plain object (camelCase field names of src/ml/onnx-proto.json). */
export function onnxModel(artifact: ModelArtifact, options: { producerVersion?: string } = {}): Record<string, unknown> {
  const layers = denseLayers(artifact);
  const builder = new GraphBuilder();
  const inputs: ValueInfo[] = [];
  const schemas = new Map(artifact.rawSchema.map((s) => [s.name, s]));
  const env = rawInputs(builder, artifact, inputs);
  for (const step of artifact.transforms) applyStep(builder, env, step, schemas);

  const features = artifact.featureNames.map((name) => {
    const value = env.get(name);
    if (!value) throw new OnnxExportError(`the chain does not produce feature "${name}"`);
    if (value.kind !== 'number') throw new OnnxExportError(`feature "${name}" is still a category after the chain`);
    return value.name;
  });
  if (layers[0].kernel.length !== features.length * layers[0].units) {
    throw new OnnxExportError(`the network takes ${layers[0].kernel.length / layers[0].units} inputs but the chain produces ${features.length} features`);
  }
  const matrix = features.length === 1 ? features[0] : builder.op('Concat', features, [attrInt('axis', 1)], { hint: 'features' });
  let x = builder.op('Cast', [matrix], [attrInt('to', FLOAT)], { hint: 'features_f32' });
  let width = features.length;
  for (const layer of layers) {
    const w = builder.constant(`${layer.name}_kernel`, { dims: [width, layer.units], dataType: FLOAT, floatData: Array.from(layer.kernel) });
    const gemmInputs = [x, w];
    if (layer.bias) gemmInputs.push(builder.constant(`${layer.name}_bias`, { dims: [layer.units], dataType: FLOAT, floatData: Array.from(layer.bias) }));
    x = activation(builder, builder.op('Gemm', gemmInputs, [], { hint: layer.name }), layer.activation, layer.name);
    width = layer.units;
  }

  const target = artifact.target as ModelTarget;
  const outputs: ValueInfo[] = [];
  if (target.task === 'classification') {
    const classes = target.classes ?? [];
    if (classes.length !== width) throw new OnnxExportError(`the network has ${width} outputs but the target has ${classes.length} classes`);
    builder.op('Identity', [x], [], { output: 'probabilities' });
    const index = builder.op('ArgMax', ['probabilities'], [attrInt('axis', 1), attrInt('keepdims', 0)]);
    const labels = builder.constant('classes', { dims: [classes.length], dataType: STRING, stringData: classes.map(utf8) });
    builder.op('Gather', [labels, index], [attrInt('axis', 0)], { output: 'label' });
    outputs.push({ name: 'probabilities', elemType: FLOAT, dims: ['N', width] }, { name: 'label', elemType: STRING, dims: ['N'] });
  } else {
    const { mean, std } = target.scale ?? { mean: 0, std: 1 };
    const wide = builder.op('Cast', [x], [attrInt('to', DOUBLE)]);
    builder.op('Add', [builder.op('Mul', [wide, builder.scalarDouble(std)]), builder.scalarDouble(mean)], [], { output: 'prediction' });
    outputs.push({ name: 'prediction', elemType: DOUBLE, dims: ['N', 1] });
  }

  return {
    irVersion: IR_VERSION,
    producerName: 'Pipeline Studio',
    producerVersion: options.producerVersion ?? '',
    modelVersion: 1,
    docString: `${artifact.name}: raw columns → fitted preprocessing → ${artifact.spec.family} network → ${target.task === 'classification' ? 'probabilities, label' : 'prediction'}`,
    opsetImport: [
      { domain: '', version: OPSET },
      { domain: 'ai.onnx.ml', version: ML_OPSET },
    ],
    metadataProps: [
      { key: 'pipeline-studio.target', value: JSON.stringify(artifact.target) },
      { key: 'pipeline-studio.rawSchema', value: JSON.stringify(artifact.rawSchema) },
      { key: 'pipeline-studio.featureNames', value: JSON.stringify(artifact.featureNames) },
      { key: 'pipeline-studio.transforms', value: artifact.transforms.map(describeTransform).join('; ') },
    ],
    graph: {
      name: artifact.name.replace(/[^A-Za-z0-9_]+/g, '_') || 'model',
      node: builder.nodes,
      initializer: builder.initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    },
  };
}
