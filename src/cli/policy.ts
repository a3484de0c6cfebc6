// --fail-on and --baseline as the CLI reads them: the policy parsed, the baseline file loaded.
// Their parsers (zod, yaml) load only when the options are given.
import { fromFsError } from '../model/errors.js';
import { defaultFailPolicy } from '../policy/fail-on.js';
import { PolicyGate } from '../policy/gate.js';

export interface PolicyCliOptions {
  failOn?: string;
  baseline?: string;
}

/** Parses --fail-on and reads --baseline; a bad value or file is a usage error (exit code 2) naming it. */
export async function createPolicyGate(opts: PolicyCliOptions): Promise<PolicyGate> {
  const failOn = opts.failOn === undefined ? defaultFailPolicy : (await import('../policy/parse-fail-on.js')).parseFailPolicy(opts.failOn);
  if (opts.baseline === undefined) return new PolicyGate(failOn);
  let text: string;
  try {
    text = await (await import('node:fs/promises')).readFile(opts.baseline, 'utf8');
  } catch (e) {
    throw fromFsError(e, opts.baseline);
  }
  const { BaselineMatcher, parseBaseline } = await import('../policy/baseline.js');
  return new PolicyGate(failOn, new BaselineMatcher(parseBaseline(text, opts.baseline), opts.baseline));
}
