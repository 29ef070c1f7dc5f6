export * from './auth.guard';
export * from './jwt';
export * from './principal';
export * from './signed-webhook.decorator';
