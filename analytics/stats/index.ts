export * from './normal';
export * from './mann-kendall';
export * from './empirical-bayes';
export * from './surge';
export * from './histogram';
export * from './mcdm';
