export * from './input.decorators';
export * from './int-param.pipe';
export * from './json-input';
export * from './outage';
export * from './problem';
export * from './problem.filter';
export * from './request-input.guard';
export * from './validation';
