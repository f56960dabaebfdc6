/**
 * The choices the model and training specs offer, shared with src/ml (which builds and trains
 * with them): the option lists live with the specs so the editor gets them without ml code.
 */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const MONITORS = ['val_loss', 'val_accuracy', 'loss'] as const;
export type MonitorName = (typeof MONITORS)[number];
