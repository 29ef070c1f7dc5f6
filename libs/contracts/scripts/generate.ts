// Writes the published JSON Schemas and the AsyncAPI document from the TypeBox schemas:
//   node -r @swc-node/register libs/contracts/scripts/generate.ts
// Commit the result; contract-files.spec.ts fails whenever the committed files are stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTRACTS_ROOT, contractFiles, SCHEMAS_DIR } from './contract-files';

const files = contractFiles();
const expected = new Set(files.map((f) => f.path));

const schemasDir = path.join(CONTRACTS_ROOT, SCHEMAS_DIR);
fs.mkdirSync(schemasDir, { recursive: true });
// A schema of a type that no longer exists would keep being published; remove it.
for (const name of fs.readdirSync(schemasDir)) {
  if (!expected.has(`${SCHEMAS_DIR}/${name}`)) {
    fs.rmSync(path.join(schemasDir, name));
    console.log(`removed ${SCHEMAS_DIR}/${name}`);
  }
}

let changed = 0;
for (const file of files) {
  const target = path.join(CONTRACTS_ROOT, file.path);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current !== file.content) {
    fs.writeFileSync(target, file.content);
    changed += 1;
    console.log(`wrote ${file.path}`);
  }
}
console.log(`${files.length} contract files, ${changed} changed`);
