// User rule files (YAML or JSON) -> detectors. Validated by the same zod schema
// as the built-in detectors; an invalid file is rejected with the path of the
// bad field and its line in the file.
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { defineDetector, type Detector } from '../detectors/define-detector.js';
import { KtriageError } from '../model/errors.js';
import { ruleFileSchema } from '../model/finding.js';

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

/** Line of the deepest YAML node that exists along `path`. */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Parses and validates a rule file's text; `file` is used in error messages. */
export function parseRuleFile(text: string, file: string): Detector[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = counter.linePos(yamlError.pos[0]).line;
    throw new KtriageError('config.invalid', `not valid YAML/JSON: ${yamlError.message.split('\n')[0]}`, { file, line });
  }
  const parsed = ruleFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const line = lineOf(doc, counter, issue.path);
    throw new KtriageError('config.invalid', `${pathText(issue.path)}: ${issue.message}`, line === undefined ? { file } : { file, line });
  }
  const ids = new Set<string>();
  return parsed.data.rules.map((rule, i) => {
    if (ids.has(rule.id)) {
      const line = lineOf(doc, counter, ['rules', i, 'id']);
      throw new KtriageError('config.invalid', `rules[${i}].id: duplicate id "${rule.id}"`, line === undefined ? { file } : { file, line });
    }
    ids.add(rule.id);
    return defineDetector(rule, file);
  });
}
