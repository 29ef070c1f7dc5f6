import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTRACTS_ROOT, contractFiles, SCHEMAS_DIR } from './contract-files';

const REGENERATE =
  'run `node -r @swc-node/register libs/contracts/scripts/generate.ts` and commit the result';

describe('committed contract files', () => {
  const files = contractFiles();

  it.each(files.map((f) => [f.path, f.content]))('%s is what the generator produces now', (file, content) => {
    const target = path.join(CONTRACTS_ROOT, file);
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : `(missing: ${REGENERATE})`;
    // Compared as text: whitespace drift is drift too, and prettier must agree with the files.
    if (committed !== content) throw new Error(`${file} is stale: ${REGENERATE}`);
  });

  it('contain no schema of a type that no longer exists', () => {
    const committed = fs
      .readdirSync(path.join(CONTRACTS_ROOT, SCHEMAS_DIR))
      .map((name) => `${SCHEMAS_DIR}/${name}`);
    const expected = files.map((f) => f.path).filter((p) => p.startsWith(`${SCHEMAS_DIR}/`));
    expect(committed.sort()).toEqual(expected.sort());
  });
});
