const { projectConfig } = require('../../jest.preset');

// Unit specs of the pure parts (src/format/**, server/**; `nx run web:test`) and the BFF's integration
// specs; the browser tests are Playwright's (e2e/*.e2e.ts), run by the `integration` target after jest.
module.exports = projectConfig(__dirname, 'web');
