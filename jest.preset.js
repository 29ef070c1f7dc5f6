// Shared jest settings. Every project's config has two tiers, as two jest projects:
// `<name>:unit` (`*.spec.ts`, pure, no infrastructure, no global setup) and `<name>:integration`
// (`*.integration-spec.ts`, real Kafka + Postgres, brought up once by the testing harness's global setup).
// The nx targets pick one tier each (nx.json): `test` runs `--selectProjects <name>:unit` and is cached,
// `integration` runs `--selectProjects <name>:integration`. A plain `jest --config <p>/jest.config.js`
// still runs both. See docs/testing.md.
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
