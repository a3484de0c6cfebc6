// A report's architecture: the register dump decides; without one, a distribution kernel's release
// names it; without that, arch-only entry frames. riscv64 and x86-64 kernel text share the
// 0xffffffff8xxxxxxx addresses, so a riscv trace of generic frames alone looked like old x86-64.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { guessArch } from '../../src/reports/metadata.js';
import { FIXTURES } from '../helpers/fixtures.js';

// The RCU stall report of the real riscv64 HARDLOCKUP capture: the grace-period kthread's stack,
// generic frames only ("[<ffffffff80a7854c>] __schedule+0x3a6/0xbd2" ... "ret_from_fork").
const RCU_KTHREAD_TRACE = [
  'rcu: INFO: rcu_sched detected stalls on CPUs/tasks:',
  'task:rcu_sched       state:R stack:0     pid:17    tgid:17    ppid:2      flags:0x00000000',
  'Call Trace:',
  '[<ffffffff80a7854c>] __schedule+0x3a6/0xbd2',
  '[<ffffffff80a78d9c>] schedule+0x24/0xd4',
  '[<ffffffff80a7edf2>] schedule_timeout+0x90/0x152',
  '[<ffffffff800bddce>] rcu_gp_fqs_loop+0x340/0x4a8',
  '[<ffffffff800c1fd2>] rcu_gp_kthread+0x124/0x176',
  '[<ffffffff800493be>] kthread+0xc4/0xe2',
  '[<ffffffff80a814a2>] ret_from_fork+0xe/0x1c',
];

describe('guessArch', () => {
  it('takes a Debian release suffix over frames that x86-64 and riscv64 print alike', () => {
    expect(guessArch(RCU_KTHREAD_TRACE)).toBe('x86_64');
    expect(guessArch(RCU_KTHREAD_TRACE, '6.12.117+deb13-riscv64')).toBe('riscv');
  });

  it('reads the Debian flavours and the Fedora/RHEL suffixes', () => {
    const cases: Array<[string, string]> = [
      ['6.1.0-18-amd64', 'x86_64'],
      ['6.1.0-18-rt-amd64', 'x86_64'],
      ['6.1.0-18-cloud-amd64', 'x86_64'],
      ['6.1.0-50-arm64', 'arm64'],
      ['6.1.0-50-armmp', 'arm'],
      ['6.1.0-50-armmp-lpae', 'arm'],
      ['6.1.0-50-powerpc64le', 'powerpc'],
      ['6.1.0-50-s390x', 's390'],
      ['6.1.0-50-686-pae', 'x86'],
      ['6.5.6-300.fc39.x86_64', 'x86_64'],
      ['5.14.0-362.el9.aarch64+debug', 'arm64'],
      ['4.18.0-553.el8_10.ppc64le', 'powerpc'],
      ['5.14.0-362.el9.s390x', 's390'],
    ];
    for (const [release, arch] of cases) expect([release, guessArch(['Call Trace:', ' dump_stack+0x1/0x2'], release)]).toEqual([release, arch]);
  });

  it('leaves a release that names no architecture to the frames', () => {
    // Ubuntu's flavour is the same on every architecture; a self-built kernel has none.
    expect(guessArch(RCU_KTHREAD_TRACE, '6.8.0-45-generic')).toBe('x86_64');
    expect(guessArch(RCU_KTHREAD_TRACE, '6.12.0-rc3+')).toBe('x86_64');
    expect(guessArch(['Call Trace:', ' dump_stack+0x1/0x2'], '6.8.0-45-generic')).toBeUndefined();
  });

  it('keeps the register dump first', () => {
    expect(guessArch(['RIP: 0010:foo+0x1/0x2', 'RAX: 0000000000000000 RBX: 0000000000000001'], '6.12.117+deb13-riscv64')).toBe('x86_64');
  });

  it('gives the real riscv64 hard-lockup capture riscv for both its reports', () => {
    const text = readFileSync(join(FIXTURES, 'captured', 'riscv64', 'HARDLOCKUP.log'), 'utf8');
    const reports = analyzeText(text, 'HARDLOCKUP.log');
    expect(reports.map((r) => [r.title, r.arch])).toEqual([
      ['BUG: hard lockup in corrupted', 'riscv'],
      ['INFO: rcu detected stall in corrupted', 'riscv'],
    ]);
  });
});
