import * as path from 'node:path';
import { asyncApiDocument } from '../src/asyncapi-document';
import { EVENT_TYPES } from '../src/event-registry';
import { eventJsonSchema } from '../src/event-json-schema';
import { jsonFileText } from './json-file';

/** The contracts project folder; generated paths are relative to it. */
export const CONTRACTS_ROOT = path.resolve(__dirname, '..');

/** The folder that holds one JSON Schema per event type, and nothing else. */
export const SCHEMAS_DIR = 'schemas';

export interface ContractFile {
  /** Relative to CONTRACTS_ROOT, with forward slashes. */
  path: string;
  content: string;
}

/** Every generated contract file with the content the current code gives it. */
export function contractFiles(): ContractFile[] {
  const schemas = EVENT_TYPES.map((type) => ({
    path: `${SCHEMAS_DIR}/${type}.json`,
    content: jsonFileText(eventJsonSchema(type)),
  }));
  return [...schemas, { path: 'asyncapi.json', content: jsonFileText(asyncApiDocument()) }];
}
