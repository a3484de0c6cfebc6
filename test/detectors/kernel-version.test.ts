// Kernel release strings and version verdicts, each case checked by hand
// against the release history of the two seed bugs.
import { describe, expect, it } from 'vitest';
import { parseKernelVersion, verdictFor } from '../../src/detectors/kernel-version.js';
import directReclaim from '../../src/detectors/writeback-from-direct-reclaim.js';
import staleWakeup from '../../src/detectors/stale-writeback-wakeup.js';

describe('parseKernelVersion', () => {
  it.each([
    ['5.10.0', { major: 5, minor: 10, patch: 0, build: 'release' }],
    ['5.10.0-rc6', { rc: 6, build: 'release' }],
    ['5.9.12', { patch: 12, build: 'stable' }],
    ['3.15.0+', { major: 3, minor: 15, build: 'development' }],
    ['5.10.0-rc5+', { rc: 5, build: 'development' }],
    ['6.0.0-rc7-syzkaller-00220-gffb4d94b4314', { rc: 7, build: 'development' }],
    ['6.15.0-syzkaller-13743-g8630c59e9936', { build: 'development' }],
    ['5.10.0-rc5-next-20201124', { rc: 5, build: 'next' }],
    ['3.16.0-rc5-mm1', { rc: 5, build: 'next' }],
    ['6.1.0-18-amd64', { build: 'distribution' }],
    ['5.4.0-150-generic', { build: 'distribution' }],
    ['4.18.0-305.el8.x86_64', { build: 'distribution' }],
  ])('%s', (raw, want) => {
    expect(parseKernelVersion(raw)).toMatchObject(want);
  });

  it('is undefined for text that is no release', () => {
    expect(parseKernelVersion('syzkaller')).toBeUndefined();
  });
});

describe('verdictFor: writeback from direct reclaim (68711a746345 in v3.16-rc1, fixed by 8bdd63809160 in v3.16, not in -rc6)', () => {
  const refs = directReclaim.meta.references;
  it.each([
    ['3.14.0', 'not-affected'], // before the 3.16 merge window
    ['3.15.0', 'not-affected'], // the v3.15 tag itself
    ['3.15.0+', 'affected'], // merge-window build: the splat shows the bug is in
    ['3.16.0-rc1', 'affected'],
    ['3.16.0-rc6', 'affected'], // the fix was posted against -rc6
    ['3.16.0-rc6+', 'unknown'], // a build after -rc6 may already have the fix
    ['3.16.0-rc7', 'unknown'], // which -rc first had the fix is not recorded
    ['3.16.0', 'fixed'],
    ['3.16.5', 'fixed'],
    ['4.4.0', 'fixed'],
    ['6.1.0-18-amd64', 'unknown'], // distribution kernel
    [undefined, 'unknown'],
  ])('%s -> %s', (v, want) => {
    expect(verdictFor(v, refs).verdict).toBe(want);
  });
});

describe('verdictFor: stale writeback wakeup (2a9127fcf229 in v5.8 after -rc6; fixed by 073861ed77b6 in v5.10-rc6, 5.9.12, 5.4.249)', () => {
  const refs = staleWakeup.meta.references;
  it.each([
    ['5.7.0', 'not-affected'],
    ['5.8.0-rc6', 'not-affected'],
    ['5.8.0-rc7', 'affected'], // a splat on an -rc that may or may not have the rewrite shows it has
    ['5.8.0', 'affected'],
    ['5.9.0', 'affected'],
    ['5.9.8', 'affected'], // before the 5.9.12 backport
    ['5.9.12', 'fixed'],
    ['5.9.16', 'fixed'],
    ['5.10.0-rc5', 'affected'],
    ['5.10.0-rc5-next-20201124', 'affected'],
    ['5.10.0-rc6', 'fixed'],
    ['5.10.0', 'fixed'],
    ['5.4.100', 'not-affected'], // 5.4.y got the rewrite only together with the fixes, in 5.4.249
    ['5.4.249', 'fixed'],
    ['4.19.200', 'not-affected'], // no 4.19.y backport of the rewrite is known
  ])('%s -> %s', (v, want) => {
    expect(verdictFor(v, refs).verdict).toBe(want);
  });

  it('a mention on an -rc where the introducing commit may or may not be in stays unknown', () => {
    expect(verdictFor('5.8.0-rc7', refs, 'mention').verdict).toBe('unknown');
  });
});
