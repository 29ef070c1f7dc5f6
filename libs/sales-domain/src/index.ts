export * from './calendar';
export * from './credits';
export * from './money';
