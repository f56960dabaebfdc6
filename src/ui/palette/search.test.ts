import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_SPECS } from '../../catalog';
import { loadSearchWords, searchNodes, unavailableMethod } from './search';

beforeAll(() => loadSearchWords());

const first = (query: string) => searchNodes(ALL_SPECS, query)[0]?.type;

describe('searchNodes', () => {
  it('finds nodes by the words people use, not only our titles', () => {
    expect(first('standardize')).toBe('prep.scale');
    expect(first('normalize')).toBe('prep.scale');
    expect(first('StandardScaler')).toBe('prep.scale');
    expect(first('MinMaxScaler')).toBe('prep.scale');
    expect(first('one-hot')).toBe('prep.encode');
    expect(first('one hot')).toBe('prep.encode');
    expect(first('OneHotEncoder')).toBe('prep.encode');
    expect(first('get_dummies')).toBe('prep.encode');
    expect(first('train test split')).toBe('prep.split');
    expect(first('train_test_split')).toBe('prep.split');
    expect(first('impute')).toBe('prep.missing');
    expect(first('GridSearchCV')).toBe('tune.search');
    expect(first('neural network')).toBe('model.mlp');
    expect(first('k-fold')).toBe('evaluate.cv');
    expect(first('permutation importance')).toBe('evaluate.importance');
  });

  it('puts title matches first and keeps every node for an empty query', () => {
    expect(first('scale')).toBe('prep.scale');
    expect(searchNodes(ALL_SPECS, '')).toHaveLength(ALL_SPECS.length);
    expect(searchNodes(ALL_SPECS, 'zzzz')).toEqual([]);
  });
});

describe('unavailableMethod', () => {
  it('says that a method people expect is not available and what to try instead', () => {
    expect(unavailableMethod('random forest')?.message).toMatch(/Random forest is not available here — try a Neural network \(MLP\) or Logistic regression/);
    expect(unavailableMethod('RandomForestClassifier')?.instead).toEqual(['model.mlp', 'model.logistic']);
    expect(unavailableMethod('xgboost')?.message).toMatch(/Gradient boosting is not available/);
    expect(unavailableMethod('k-means')?.message).toMatch(/Clustering .* not available here — every model here learns from a target column/);
  });

  it('says nothing for what exists or for short fragments', () => {
    expect(unavailableMethod('scale')).toBeNull();
    expect(unavailableMethod('mlp')).toBeNull();
    expect(unavailableMethod('r')).toBeNull();
  });
});
