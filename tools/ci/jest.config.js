const { projectConfig } = require('../../jest.preset');

// Workspace checks that keep `npm test` honest: the layering rule holds, and every project's tests are
// reachable from the `test` and `integration` targets.
module.exports = projectConfig(__dirname, 'ci');
