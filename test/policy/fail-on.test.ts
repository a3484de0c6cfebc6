// --fail-on grammar: what each term means, and the usage errors for bad ones.
import { describe, expect, it } from 'vitest';
import { KtriageError } from '../../src/model/errors.js';
import { kernelErrorFails, matchesFailPolicy, severityOrder } from '../../src/policy/fail-on.js';
import type { KernelErrorRecord } from '../../src/model/boot.js';
import { parseFailPolicy } from '../../src/policy/parse-fail-on.js';
import { severitySchema } from '../../src/model/report.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';

// warning.log: class warning, type WARNING, severity warning;
// bug.log: class bug, type BUG, severity critical; kasan.log: class kasan, type KASAN-INVALID-FREE, severity critical.
const [warning, bug, kasan] = reportsIn(threeReports());

function failing(policy: string): string[] {
  const p = parseFailPolicy(policy);
  return [warning!, bug!, kasan!].filter((r) => matchesFailPolicy(p, r)).map((r) => r.crashClass);
}

function usageError(policy: string): string {
  try {
    parseFailPolicy(policy);
  } catch (e) {
    if (e instanceof KtriageError && e.code === 'usage.invalid' && e.exitCode === 2) return e.message;
    throw e;
  }
  throw new Error(`accepted ${policy}`);
}

describe('--fail-on', () => {
  it('the test reports are what the cases below assume', () => {
    expect([warning, bug, kasan].map((r) => [r!.crashClass, r!.crashType, r!.severity])).toEqual([
      ['warning', 'WARNING', 'warning'],
      ['bug', 'BUG', 'critical'],
      ['kasan', 'KASAN-INVALID-FREE', 'critical'],
    ]);
  });

  it.each([
    // every report, as without --fail-on
    ['any', ['warning', 'bug', 'kasan']],
    // none: only input errors fail a run
    ['none', []],
    // bare lower-case names are crash classes
    ['bug,kasan,panic', ['bug', 'kasan']],
    ['warning', ['warning']],
    // bare upper-case names are crash types
    ['BUG', ['bug']],
    ['KASAN-INVALID-FREE', ['kasan']],
    // explicit prefixes, spaces around terms
    ['class:kasan, type:WARNING', ['warning', 'kasan']],
    // a severity is a threshold: that level or higher
    ['severity:critical', ['bug', 'kasan']],
    ['severity:warning', ['warning', 'bug', 'kasan']],
    ['severity:error', ['bug', 'kasan']],
    // terms are or-ed
    ['severity:critical,warning', ['warning', 'bug', 'kasan']],
    // a kernel-error term matches no report
    ['kernel-error:any', []],
    ['kernel-error:filesystem,bug', ['bug']],
  ])('%s fails on %j', (policy, want) => {
    expect(failing(policy)).toEqual(want);
  });

  it('orders severities as the schema lists them', () => {
    expect(severityOrder).toEqual(severitySchema.options);
  });

  it.each([
    ['KASAN', 'unknown term "KASAN" (did you mean "kasan"? classes are lower case, types upper case)'],
    ['class:BUG', 'unknown crash class "BUG" (did you mean "bug"? classes are lower case, types upper case)'],
    ['type:bug', 'unknown crash type "bug" (did you mean "BUG"? classes are lower case, types upper case)'],
    ['severity:high', 'unknown severity "high"; expected one of info, warning, error, critical'],
    ['bug,,kasan', 'empty term in "bug,,kasan"'],
    ['', 'empty term in ""'],
    ['none,bug', '"none" cannot be combined with other terms'],
    ['oops', 'unknown term "oops"; expected any, none, a crash class (warning, bug, kasan ...), a crash type (WARNING, BUG, KASAN-READ ...), severity:LEVEL (info, warning, error, critical) or kernel-error:CATEGORY (filesystem, io-error, hardware-error ..., any)'],
    ['kernel-error:disk', 'unknown kernel error category "disk"; expected any or one of error-return-code, mount-root, init, filesystem, io-error, hardware-error'],
  ])('rejects %j', (policy, message) => {
    expect(usageError(policy)).toBe(`--fail-on: ${message}`);
  });

  it('fails on kernel errors only through a kernel-error term', () => {
    const fsError: KernelErrorRecord = { kind: 'kernel-error', source: '-', line: 1, severity: 'error', category: 'filesystem', message: 'EXT4-fs error (device sda1): x', device: 'sda1' };
    const hwError: KernelErrorRecord = { ...fsError, category: 'hardware-error', severity: 'warning', message: 'EDAC MC0: 1 CE memory read error' };
    const fails = (policy: string) => [fsError, hwError].filter((e) => kernelErrorFails(parseFailPolicy(policy), e)).map((e) => e.category);
    expect(fails('any')).toEqual([]);
    expect(fails('severity:warning')).toEqual([]);
    expect(fails('kernel-error:any')).toEqual(['filesystem', 'hardware-error']);
    expect(fails('bug,kernel-error:hardware-error')).toEqual(['hardware-error']);
  });
});
