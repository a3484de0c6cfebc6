// The committed JSON Schema is the one generated from the zod schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputJsonSchema } from '../src/cli/commands/schema.js';

describe('schema/output.schema.json', () => {
  it('matches the zod schemas (run `npm run schema` after changing them)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema', 'output.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(outputJsonSchema());
  });
});
