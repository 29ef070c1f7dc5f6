export * from './audit-log';
export * from './audit.controller';
export * from './audit.dto';
export * from './create-audit-log.migration';
