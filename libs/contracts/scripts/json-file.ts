// Generated JSON is written exactly as prettier (printWidth 110) would format it, so
// `npm run format:check` passes without anyone reformatting generated files — and without importing
// prettier, whose async ESM loading does not run inside jest.
const PRINT_WIDTH = 110;
const INDENT = '  ';

type Primitive = string | number | boolean | null;

function isPrimitive(value: unknown): value is Primitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function render(value: unknown, depth: number, prefixWidth: number, suffixWidth: number): string {
  if (isPrimitive(value)) return JSON.stringify(value);
  const pad = INDENT.repeat(depth + 1);
  const closePad = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (prefixWidth + flat.length + suffixWidth <= PRINT_WIDTH) return flat;
    }
    const items = value.map((item, i) => {
      const comma = i < value.length - 1 ? 1 : 0;
      return pad + render(item, depth + 1, pad.length, comma);
    });
    return `[\n${items.join(',\n')}\n${closePad}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item], i) => {
      const head = `${pad}${JSON.stringify(key)}: `;
      const comma = i < entries.length - 1 ? 1 : 0;
      return head + render(item, depth + 1, head.length, comma);
    });
    return `{\n${lines.join(',\n')}\n${closePad}}`;
  }
  throw new Error(`cannot write ${typeof value} as JSON`);
}

/** The text of a generated JSON file: prettier's formatting of `value`, with a final newline. */
export function jsonFileText(value: unknown): string {
  return `${render(value, 0, 0, 0)}\n`;
}
