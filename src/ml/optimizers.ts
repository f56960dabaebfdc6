/**
 * Parameter updates for the training loop. Adam and RMSprop do tfjs's arithmetic
 * (tf.train.adam / tf.train.rmsprop, same operations in the same order, so the same numbers)
 * but on ONE flat vector holding every parameter's gradient, instead of one set of ~15
 * kernel calls per weight tensor: for small networks the per-kernel overhead, not the maths,
 * is what training time is made of. SGD is two kernels per weight either way and stays per tensor.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from './tf';

import type { OptimizerName } from '../catalog/model/vocabulary';

export { OPTIMIZERS, type OptimizerName } from '../catalog/model/vocabulary';

export interface ParameterUpdater {
  /** Applies one step; `grads[i]` is the gradient of `variables[i]`. Call inside tf.tidy. */
  apply(grads: TF.Tensor[]): void;
  /** The variables holding the optimizer's state, in a fixed order (a checkpoint reads and restores them). */
  stateVariables(): TF.Variable[];
  dispose(): void;
}

/** Every gradient as one flat vector (call inside tf.tidy). */
function flatten(grads: TF.Tensor[]): TF.Tensor1D {
  const t = tf();
  const flat = grads.map((g) => t.reshape(g, [-1]) as TF.Tensor1D);
  return flat.length === 1 ? flat[0] : t.concat(flat);
}

/**
 * Splits the flat `delta` back per variable and adds it to (or subtracts it from) each one,
 * with the operand order tfjs's optimizers use (call inside tf.tidy).
 */
function updateVariables(variables: TF.Variable[], sizes: number[], delta: TF.Tensor1D, how: 'add' | 'subtract'): void {
  const t = tf();
  const pieces = variables.length === 1 ? [delta] : t.split(delta, sizes);
  variables.forEach((variable, i) => {
    const piece = t.reshape(pieces[i], variable.shape);
    variable.assign(how === 'add' ? t.add(piece, variable) : t.sub(variable, piece));
  });
}

/**
 * Shared by the flat optimizers: per-variable sizes, zeroed state vectors as long as all
 * parameters together, and the scalars each step uses (made once, not at every step).
 */
abstract class FlatUpdater implements ParameterUpdater {
  protected readonly sizes: number[];
  protected readonly state: TF.Variable[];
  protected readonly constants: TF.Scalar[];

  constructor(
    protected readonly variables: TF.Variable[],
    stateVectors: number,
    constants: number[],
  ) {
    const t = tf();
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.state = Array.from({ length: stateVectors }, () => t.tidy(() => t.zeros([total]).variable(false)));
    this.constants = constants.map((c) => t.scalar(c));
  }

  abstract apply(grads: TF.Tensor[]): void;

  stateVariables(): TF.Variable[] {
    return [...this.state];
  }

  dispose(): void {
    for (const tensor of [...this.state, ...this.constants]) tensor.dispose();
  }
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;

class FlatAdam extends FlatUpdater {
  private readonly accBeta1: TF.Variable;
  private readonly accBeta2: TF.Variable;

  constructor(variables: TF.Variable[], learningRate: number) {
    // tf.train.adam(lr): beta1 0.9, beta2 0.999, epsilon from the backend.
    super(variables, 2, [1, ADAM_BETA1, 1 - ADAM_BETA1, ADAM_BETA2, 1 - ADAM_BETA2, tf().backend().epsilon(), -learningRate]);
    const t = tf();
    this.accBeta1 = t.tidy(() => t.scalar(ADAM_BETA1).variable(false));
    this.accBeta2 = t.tidy(() => t.scalar(ADAM_BETA2).variable(false));
  }

  apply(grads: TF.Tensor[]): void {
    const t = tf();
    const [one, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, minusLearningRate] = this.constants;
    const [firstMoment, secondMoment] = this.state;
    const g = flatten(grads);
    const oneMinusAccBeta1 = t.sub(one, this.accBeta1);
    const oneMinusAccBeta2 = t.sub(one, this.accBeta2);
    const m = t.add(t.mul(firstMoment, beta1), t.mul(g, oneMinusBeta1));
    const v = t.add(t.mul(secondMoment, beta2), t.mul(t.square(g), oneMinusBeta2));
    const mHat = t.div(m, oneMinusAccBeta1);
    const vHat = t.div(v, oneMinusAccBeta2);
    firstMoment.assign(m);
    secondMoment.assign(v);
    updateVariables(this.variables, this.sizes, t.mul(t.div(mHat, t.add(t.sqrt(vHat), epsilon)), minusLearningRate), 'add');
    this.accBeta1.assign(t.mul(this.accBeta1, beta1));
    this.accBeta2.assign(t.mul(this.accBeta2, beta2));
  }

  override stateVariables(): TF.Variable[] {
    return [...this.state, this.accBeta1, this.accBeta2];
  }

  override dispose(): void {
    super.dispose();
    this.accBeta1.dispose();
    this.accBeta2.dispose();
  }
}

const RMSPROP_DECAY = 0.9;

class FlatRmsprop extends FlatUpdater {
  constructor(variables: TF.Variable[], learningRate: number) {
    // tf.train.rmsprop(lr): decay 0.9, momentum 0, not centred, epsilon from the backend.
    super(variables, 2, [RMSPROP_DECAY, 1 - RMSPROP_DECAY, 0, learningRate, tf().backend().epsilon()]);
  }

  apply(grads: TF.Tensor[]): void {
    const t = tf();
    const [decay, oneMinusDecay, momentum, learningRate, epsilon] = this.constants;
    const [meanSquares, moments] = this.state;
    const g = flatten(grads);
    const meanSquare = t.add(t.mul(meanSquares, decay), t.mul(t.square(g), oneMinusDecay));
    const moment: TF.Tensor1D = t.add(t.mul(moments, momentum), t.div(t.mul(g, learningRate), t.sqrt(t.add(meanSquare, epsilon))));
    meanSquares.assign(meanSquare);
    moments.assign(moment);
    updateVariables(this.variables, this.sizes, moment, 'subtract');
  }
}

class Sgd implements ParameterUpdater {
  private readonly minusLearningRate: TF.Scalar;

  constructor(
    private readonly variables: TF.Variable[],
    learningRate: number,
  ) {
    this.minusLearningRate = tf().scalar(-learningRate);
  }

  apply(grads: TF.Tensor[]): void {
    const t = tf();
    this.variables.forEach((variable, i) => variable.assign(t.add(t.mul(this.minusLearningRate, grads[i]), variable)));
  }

  stateVariables(): TF.Variable[] {
    return [];
  }

  dispose(): void {
    this.minusLearningRate.dispose();
  }
}

export function createUpdater(name: OptimizerName, learningRate: number, variables: TF.Variable[]): ParameterUpdater {
  if (variables.length === 0) throw new Error('the network has no trainable weights');
  if (name === 'sgd') return new Sgd(variables, learningRate);
  if (name === 'rmsprop') return new FlatRmsprop(variables, learningRate);
  return new FlatAdam(variables, learningRate);
}
