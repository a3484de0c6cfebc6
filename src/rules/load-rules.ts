// User rule files (YAML or JSON) -> detectors. Validated by the same zod schema
// as the built-in detectors; an invalid file is rejected with the path of the
// bad field and its line in the file.
import { parseValidatedYaml } from '../config/validated-yaml.js';
import { defineDetector, type Detector } from '../detectors/define-detector.js';
import { KtriageError } from '../model/errors.js';
import { ruleFileSchema } from '../model/finding.js';

/** Parses and validates a rule file's text; `file` is used in error messages. */
export function parseRuleFile(text: string, file: string): Detector[] {
  const { data, lineOf } = parseValidatedYaml(text, file, ruleFileSchema);
  const ids = new Set<string>();
  return data.rules.map((rule, i) => {
    if (ids.has(rule.id)) {
      const line = lineOf(['rules', i, 'id']);
      throw new KtriageError('config.invalid', `rules[${i}].id: duplicate id "${rule.id}"`, line === undefined ? { file } : { file, line });
    }
    ids.add(rule.id);
    return defineDetector(rule, file);
  });
}
