export * from './database';
export * from './kafka';
export * from './poll';
export * from './service';
export * from './service-boot';
export * from './net';
export * from './raw-http';
export * from './openid-provider';
