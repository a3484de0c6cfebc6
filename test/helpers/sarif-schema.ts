// The SARIF 2.1.0 JSON schema (test/schemas/, see its README) compiled with
// ajv: draft-04, formats (uri, uri-reference, date-time ...) checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS packages: under NodeNext the default import is module.exports, whose .default is the export.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

const schemaFile = join(import.meta.dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json');

function compile() {
  // unicodeRegExp: false, since the schema's "language" pattern (/^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$/)
  // has a stray "]" that JavaScript accepts only without the u flag; strict: false for its draft-04 idioms.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
}

let validate: ReturnType<typeof compile> | undefined;

/** The schema violations of a SARIF log ("" when it is valid). */
export function sarifSchemaErrors(log: unknown): string {
  validate ??= compile();
  if (validate(log)) return '';
  return (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message ?? ''}`).join('\n');
}
