export * from './auth.guard';
export * from './claims';
export * from './jwt';
export * from './oidc';
export * from './principal';
export * from './signed-webhook.decorator';
