export * from './calendar';
export * from './credits';
export * from './input-dates';
export * from './input-limits';
export * from './input-money';
export * from './input-text';
export * from './money';
export * from './membership';
