// The layering check on its own: runs only the layering rule of eslint.config.mjs
// (@typescript-eslint/no-restricted-imports on domain/ and calculation/ folders) over apps/ and libs/,
// so CI can enforce it in seconds without linting the whole tree. `node tools/ci/layering.mjs`
// prints the violations and exits 1 when there are any; tools/ci/layering.spec.ts runs it in `npm test`.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { LAYERED_FOLDERS } from '../../eslint.config.mjs';

export const LAYERING_RULE = '@typescript-eslint/no-restricted-imports';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** An ESLint that runs only the layering rule (the other rules, e.g. module boundaries, stay with `npm run lint`). */
export function layeringLinter() {
  return new ESLint({
    cwd: root,
    errorOnUnmatchedPattern: false,
    ruleFilter: ({ ruleId }) => ruleId === LAYERING_RULE,
  });
}

/** Lints every file of a layered folder under apps/ and libs/; returns the files checked and the violations. */
export async function checkLayering() {
  const patterns = ['apps', 'libs'].flatMap((top) => LAYERED_FOLDERS.map((glob) => `${top}/${glob}`));
  const results = await layeringLinter().lintFiles(patterns);
  const violations = results.flatMap((r) =>
    r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line}:${m.column} ${m.message}`),
  );
  return { files: results.length, violations };
}

/**
 * Proves the rule is still wired: lints made-up files and reports which were flagged. A config edit that
 * drops the rule or its globs would otherwise pass the tree check above by checking nothing.
 */
export async function selfTest() {
  const cases = [
    ['apps/example/src/domain/nest.ts', "import { Injectable } from '@nestjs/common';"],
    ['apps/example/src/calculation/orm.ts', "import { EntityManager } from 'typeorm';"],
    ['libs/example/src/domain/kafka.ts', "import { Kafka } from 'kafkajs';"],
    ['apps/example/src/domain/pg.ts', "import { Pool } from 'pg';"],
    ['apps/example/src/domain/store.ts', "import { EventStore } from '@pacer/event-store';"],
    ['apps/example/src/domain/outbox.ts', "import { Outbox } from '@pacer/messaging';"],
    ['apps/example/src/domain/platform.ts', "import { bootstrap } from '@pacer/platform';"],
    ['apps/example/src/domain/aggregate.ts', "import { AggregateRoot } from '@pacer/event-store/aggregate';"],
    ['apps/example/src/domain/calendar.ts', "import { DateTime } from 'luxon';"],
    ['apps/example/src/plans/service.ts', "import { Injectable } from '@nestjs/common';"],
  ];
  const linter = layeringLinter();
  const flagged = {};
  for (const [filePath, code] of cases) {
    const [result] = await linter.lintText(`${code}\n`, { filePath });
    flagged[filePath] = result.messages.some((m) => m.ruleId === LAYERING_RULE);
  }
  return flagged;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, violations } = await checkLayering();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ files, violations, selfTest: await selfTest() }));
  } else {
    for (const v of violations) console.log(v);
    console.log(
      `layering: ${files} files in domain/ and calculation/ folders, ${violations.length} violations`,
    );
  }
  process.exitCode = violations.length ? 1 : 0;
}
