// The Schemathesis fuzz, kept out of `npm test`: it needs Schemathesis from a Python package index
// (tools/fuzz/setup.sh), which CI and this machine cannot reach. Run by `npm run test:fuzz`.
const path = require('node:path');
const { moduleNameMapper, transform } = require('../../jest.preset');

const root = path.resolve(__dirname, '../..');

module.exports = {
  displayName: 'api-fuzz:schemathesis',
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.schemathesis-spec.ts'],
  globalSetup: path.join(root, 'libs/testing/src/global-setup.js'),
  setupFilesAfterEnv: [path.join(root, 'libs/testing/src/integration-setup.ts')],
  slowTestThreshold: 30,
};
