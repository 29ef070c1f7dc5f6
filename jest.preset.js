// Shared jest settings. Every project runs two tiers in one jest invocation:
// `*.spec.ts` (pure unit tests, no infrastructure) and `*.integration-spec.ts` (real Kafka + Postgres,
// brought up once by the testing harness's global setup).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

/** Jest config for the project at `projectDir` with a unit and an integration tier. */
function projectConfig(projectDir, name) {
  const base = {
    rootDir: projectDir,
    testEnvironment: 'node',
    transform,
    moduleNameMapper,
    moduleFileExtensions: ['ts', 'js', 'json'],
  };
  return {
    displayName: name,
    projects: [
      {
        ...base,
        displayName: `${name}:unit`,
        testMatch: ['<rootDir>/**/*.spec.ts'],
        setupFilesAfterEnv: [path.join(__dirname, 'libs/testing/src/unit-setup.ts')],
      },
      {
        ...base,
        displayName: `${name}:integration`,
        testMatch: ['<rootDir>/**/*.integration-spec.ts'],
        globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.js'),
        setupFilesAfterEnv: [path.join(__dirname, 'libs/testing/src/integration-setup.ts')],
        slowTestThreshold: 30,
      },
    ],
  };
}

module.exports = { projectConfig, moduleNameMapper, transform };
