// User rule files: the README example works, bad files are rejected with the
// path of the bad field and its line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../src/analyze.js';
import { builtinDetectors } from '../src/detectors/index.js';
import { KtriageError } from '../src/model/errors.js';
import type { Finding } from '../src/model/finding.js';
import { parseRuleFile } from '../src/rules/load-rules.js';
import { runCliCaptured } from './helpers/cli.js';
import { warningOnKernel } from './helpers/warning-log.js';

const example = join(import.meta.dirname, '..', 'examples', 'rules.yaml');

// The WARNING the example rule describes, on 6.1.12 (the rule's fix is backported to 6.1.30).
const LOG = warningOnKernel('6.1.12');

function rejects(text: string): KtriageError {
  try {
    parseRuleFile(text, 'r.yaml');
  } catch (e) {
    if (e instanceof KtriageError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('rule files', () => {
  it('the README example adds a known bug that is found, with a verdict from its backport', () => {
    const detectors = [...builtinDetectors, ...parseRuleFile(readFileSync(example, 'utf8'), example)];
    const findings = analyzeTextRecords(LOG, 'dmesg', { detectors }).filter((r): r is Finding => r.kind === 'finding');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ detector: 'acme-foo-bar-warning', match: 'splat', report: 0, verdict: 'affected', kernelVersion: '6.1.12' });
    expect(findings[0]!.verdictReason).toBe('the 6.1.y backport came in 6.1.30');
    expect(findings[0]!.evidence.frames).toEqual(['foo_caller', 'process_one_work']);
  });

  it('works from the CLI with --rules', async () => {
    const r = await runCliCaptured(['--format', 'jsonl', '--rules', example, '-'], { stdin: LOG });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"detector":"acme-foo-bar-warning"');
  });

  it('rejects an invalid regular expression with its path and line', () => {
    const e = rejects(['version: 1', 'rules:', '  - id: x', '    title: t', '    signatures:', '      - title: "(unclosed"'].join('\n'));
    expect(e.message).toBe('rules[0].signatures[0].title: not a valid regular expression');
    expect(e.line).toBe(6);
    expect(e.file).toBe('r.yaml');
  });

  it('rejects a missing field with the line of its parent', () => {
    const e = rejects(['version: 1', 'rules:', '  - id: x', '    signatures:', '      - classes: [warning]'].join('\n'));
    expect(e.message).toMatch(/^rules\[0\]\.title: /);
    expect(e.line).toBe(3);
  });

  it('rejects an unknown crash class', () => {
    const e = rejects(['version: 1', 'rules:', '  - id: x', '    title: t', '    signatures:', '      - classes: [warnings]'].join('\n'));
    expect(e.message).toMatch(/^rules\[0\]\.signatures\[0\]\.classes\[0\]: /);
    expect(e.line).toBe(6);
  });

  it('rejects broken YAML with its line', () => {
    const e = rejects(['version: 1', 'rules:', '  - id: [x', ''].join('\n'));
    expect(e.message).toMatch(/^not valid YAML\/JSON: /);
    expect(e.line).toBeGreaterThanOrEqual(3);
  });

  it('accepts JSON', () => {
    const d = parseRuleFile(JSON.stringify({ version: 1, rules: [{ id: 'j', title: 'T', signatures: [{ title: '^WARNING in foo_bar$' }] }] }), 'r.json');
    expect(d[0]!.meta.id).toBe('j');
  });

  it('the CLI prints a bad rule file as one line with file:line and exits 2', async () => {
    const r = await runCliCaptured(['--rules', join(import.meta.dirname, '..', 'package.json'), '-'], { stdin: '' });
    expect(r.code).toBe(2);
    // line 3 of package.json is its "version" field, which is not the rule-file version 1.
    expect(r.stderr).toMatch(/^ktriage: .*package\.json:3: version: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
