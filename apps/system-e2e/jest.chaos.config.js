// The chaos test (`npm run chaos`) brings its own broker and database (libs/testing sandbox), so it
// has no global setup: it must never kill or restart the shared development infrastructure.
const path = require('node:path');
const { moduleNameMapper, transform } = require('../../jest.preset');

module.exports = {
  displayName: 'system-e2e:chaos',
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.chaos-spec.ts'],
  setupFilesAfterEnv: [path.join(__dirname, '../../libs/testing/src/integration-setup.ts')],
};
