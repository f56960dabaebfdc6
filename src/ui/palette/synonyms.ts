/**
 * The words people search for, mapped to our node types: scikit-learn / pandas / Keras names
 * and everyday terms ("standardize", "StandardScaler", "one-hot", "train_test_split"). Kept
 * with the palette (a search concern) rather than in the node specs.
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  'data.sample': ['example', 'demo', 'toy dataset', 'iris', 'penguins', 'digits', 'cars'],
  'data.file': ['csv', 'tsv', 'json', 'upload', 'read_csv', 'load data', 'import data', 'open file'],
  'data.url': ['http', 'https', 'fetch', 'download', 'remote', 'web'],
  'data.stored': ['saved dataset', 'imported dataset', 'indexeddb'],
  'prep.roles': ['target', 'label', 'y', 'features', 'x', 'predict column', 'dependent variable'],
  'prep.split': ['train test split', 'train_test_split', 'holdout', 'hold out', 'validation set', 'test set', 'partition', 'stratify'],
  'prep.columns': ['drop columns', 'select columns', 'feature selection', 'remove column', 'keep columns'],
  'prep.filter': ['where', 'query', 'subset rows', 'condition'],
  'prep.dedupe': ['drop_duplicates', 'duplicates', 'distinct', 'unique rows', 'deduplicate'],
  'prep.missing': ['impute', 'imputer', 'simpleimputer', 'fillna', 'dropna', 'nan', 'null', 'na', 'missing data'],
  'prep.encode': ['one-hot', 'one hot', 'onehot', 'onehotencoder', 'get_dummies', 'dummies', 'dummy variables', 'ordinal encoder', 'ordinalencoder', 'label encoder', 'labelencoder', 'categorical'],
  'prep.scale': [
    'standardize',
    'standardise',
    'standardization',
    'standardisation',
    'normalize',
    'normalise',
    'normalization',
    'normalisation',
    'standardscaler',
    'minmaxscaler',
    'robustscaler',
    'min max',
    'z-score',
    'zscore',
    'rescale',
    'feature scaling',
  ],
  'features.polynomial': ['polynomialfeatures', 'interaction', 'interactions', 'cross features', 'feature engineering'],
  'features.power': ['log transform', 'log1p', 'sqrt', 'box-cox', 'yeo-johnson', 'powertransformer', 'skewed'],
  'features.bin': ['discretize', 'discretise', 'kbinsdiscretizer', 'bucketize', 'buckets', 'quantile bins', 'cut'],
  'features.pca': ['dimensionality reduction', 'principal component analysis', 'principal components', 'svd', 'decomposition'],
  'features.reshape': ['image', 'reshape', '2d', 'pixels', 'channels'],
  'model.linear': ['linear regression', 'linearregression', 'ridge', 'ols', 'least squares', 'regression', 'regressor'],
  'model.logistic': ['logistic regression', 'logisticregression', 'logreg', 'classifier', 'classification', 'softmax regression'],
  'model.mlp': ['neural network', 'neural net', 'nn', 'dense', 'deep learning', 'perceptron', 'mlpclassifier', 'mlpregressor', 'keras', 'sequential'],
  'model.cnn': ['convolutional', 'convolution', 'conv2d', 'conv', 'image classifier'],
  'train.fit': ['fit', 'training', 'learn', 'model.fit'],
  'evaluate.metrics': ['accuracy', 'score', 'confusion matrix', 'roc', 'auc', 'f1', 'precision', 'recall', 'rmse', 'mae', 'r2', 'test'],
  'evaluate.cv': ['cross validation', 'cross-validation', 'cross_val_score', 'kfold', 'k-fold', 'cv'],
  'evaluate.importance': ['feature importance', 'permutation importance', 'permutation_importance', 'shap', 'explain', 'explainability', 'which features matter'],
  'tune.search': ['gridsearchcv', 'grid search', 'randomizedsearchcv', 'random search', 'hyperparameter', 'hyperparameters', 'hpo', 'optuna', 'tuning'],
  'deploy.endpoint': ['serve', 'serving', 'api', 'rest', 'deploy model', 'publish', 'inference'],
  'monitor.endpoint': ['drift', 'monitoring', 'psi', 'ks', 'data drift', 'observability'],
};

/**
 * Methods people look for that this app does not have, and what to try instead: the search
 * says so rather than showing nothing.
 */
export const UNAVAILABLE: readonly { label: string; names: readonly string[]; instead: readonly string[]; note?: string }[] = [
  { label: 'Random forest', names: ['random forest', 'randomforest', 'randomforestclassifier', 'randomforestregressor', 'extra trees'], instead: ['model.mlp', 'model.logistic'] },
  { label: 'Gradient boosting', names: ['xgboost', 'xgb', 'lightgbm', 'lgbm', 'catboost', 'gradient boosting', 'gbm', 'gbdt', 'adaboost', 'boosted trees'], instead: ['model.mlp', 'model.logistic'] },
  { label: 'A decision tree', names: ['decision tree', 'decisiontree', 'decisiontreeclassifier', 'cart'], instead: ['model.mlp', 'model.logistic'] },
  { label: 'A support vector machine', names: ['svm', 'svc', 'svr', 'support vector'], instead: ['model.mlp', 'model.logistic'] },
  { label: 'k-nearest neighbours', names: ['knn', 'k nearest', 'nearest neighbor', 'nearest neighbour', 'kneighborsclassifier'], instead: ['model.mlp', 'model.logistic'] },
  { label: 'Naive Bayes', names: ['naive bayes', 'naivebayes', 'gaussiannb'], instead: ['model.logistic', 'model.mlp'] },
  { label: 'Clustering (k-means, DBSCAN)', names: ['kmeans', 'k means', 'clustering', 'cluster', 'dbscan'], instead: [], note: 'every model here learns from a target column (Roles); PCA can reduce the features' },
  { label: 'A recurrent network (LSTM, RNN)', names: ['lstm', 'rnn', 'gru', 'recurrent', 'transformer', 'time series model'], instead: ['model.mlp', 'model.cnn'] },
];
