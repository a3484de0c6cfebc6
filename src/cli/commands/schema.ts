// `ktriage schema`: the JSON Schema of the JSON/JSONL output, generated from the zod schemas.
import { z } from 'zod';
import { outputRecordSchema } from '../../model/records.js';

export function outputJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(outputRecordSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'https://github.com/ktriage/ktriage/schema/output.schema.json', title: 'ktriage output record', ...schema };
}
