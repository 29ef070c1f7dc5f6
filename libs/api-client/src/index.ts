export * from './demo/people';
export * from './demo/scenario';
export * from './demo/seed';
export * from './pacer-client';
