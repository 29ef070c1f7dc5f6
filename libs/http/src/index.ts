export * from './outage';
export * from './problem';
export * from './problem.filter';
export * from './validation';
