// YAML (or JSON) configuration text -> data checked by a zod schema. A bad file
// is rejected with the path of the bad field and its line in the file.
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { KtriageError } from '../model/errors.js';

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

/** A parsed file: the data, and the line of a field (for errors found after validation). */
export interface ValidatedYaml<T> {
  data: T;
  /** Line of the deepest YAML node that exists along `path`. */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

/** Parses YAML/JSON text and validates it; `file` is named in the errors (config.invalid, exit code 2). */
export function parseValidatedYaml<S extends z.ZodType>(text: string, file: string, schema: S): ValidatedYaml<z.infer<S>> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = counter.linePos(yamlError.pos[0]).line;
    throw new KtriageError('config.invalid', `not valid YAML/JSON: ${yamlError.message.split('\n')[0]}`, { file, line });
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const line = lineOf(issue.path);
    throw new KtriageError('config.invalid', `${pathText(issue.path)}: ${issue.message}`, line === undefined ? { file } : { file, line });
  }
  return { data: parsed.data, lineOf };
}
