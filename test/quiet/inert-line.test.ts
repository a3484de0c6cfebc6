// The quiet-line test must wake on every line a stage could act on while quiet: it is
// checked against the stages' own regexes (property) and on lines written out by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinDetectors } from '../../src/detectors/index.js';
import { mentionPrefilter } from '../../src/findings/run-detectors.js';
import { InertLineTest } from '../../src/quiet/inert-line.js';
import { quietLineTests, quietWakeWords } from '../../src/quiet/quiet-lines.js';
import { anyHeaderRe } from '../../src/reports/formats/index.js';
import { dumpStartRe } from '../../src/trace/patterns.js';

const testsFor = quietLineTests(builtinDetectors)!;
const tests = { afterPrompt: testsFor(false, false), untilPrompt: testsFor(true, false), untilTimestamp: testsFor(false, true) };

// The tests the stages run on a line while quiet, copied from their modules (boot-tracker.ts,
// segment.ts, entry-line.ts): a copy, so that a change there that the words miss fails here.
const stageRes: Array<[string, RegExp]> = [
  ['header', anyHeaderRe],
  ['mention', mentionPrefilter(builtinDetectors)],
  ['handover', /Starting kernel \.\.\.|jumping to kernel|Booting from ROM\.\.\.|Booting Linux|EFI stub: Booting Linux Kernel/],
  ['banner', /Linux version /],
  ['boot error', /error -\d|VFS: |No working init|Failed to execute/],
  ['shutdown', /reboot: (?:Restarting system|Power down|System halted)|Kernel panic - not syncing/],
  ['replay', /\*\* replaying previous printk message \*\*/],
  ['ftrace dump', dumpStartRe],
  ['trace entry', /\[\d+\]|\dus[ +!#*@$]:|\d\.\d+:/],
  ['journal json', /"MESSAGE"/],
];
const promptRe = /^(?:\/ #|[\w.-]+@[\w.-]+:[^\s]*[#$]|[\w.-]+ login:)(?:\s|$)/;

// Pieces that make the stage regexes match, and ordinary log text around them.
const pieces = [
  ...quietWakeWords,
  'BUG: KASAN: ',
  'WARNING: CPU: 1 PID: 2 at ',
  'writepage',
  'direct reclaim',
  'PageSwapBacked',
  'VM_BUG_ON_PAGE(PageTail',
  'error -12',
  'Dumping ftrace buffer:',
  'root@host:~# ',
  'buildroot login: ',
  '/ # ',
  '[001]',
  '[  12.345678] ',
  '12.5:',
  '3us+: ',
  '4us!:',
  'foo-12     [003] d..1  100.000001: ',
  'usb 1-1: new high-speed USB device',
  ' ',
  ':',
  '.',
  '[',
  ']',
  '0',
  '9',
  'us',
  '\t',
  'a',
  'Z',
];
const lineArb = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((p) => p.join(''));

describe('InertLineTest', () => {
  it('wakes on every line a quiet stage would act on (property over the stages regexes)', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        for (const [name, re] of stageRes) if (re.test(line)) expect(tests.afterPrompt.wakes(line), `${name}: ${JSON.stringify(line)}`).toBe(true);
        if (promptRe.test(line)) expect(tests.untilPrompt.wakes(line), `prompt: ${JSON.stringify(line)}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('lets ordinary kernel lines through', () => {
    for (const line of [
      '[    0.000000] Memory: 98324K/1048576K available (13248K kernel code, 2806K rwdata)',
      '[    1.393298] Key type fscrypt-provisioning registered',
      '[    3.299924] Console: colour dummy device 80x25',
      'Jul 26 12:58:01 host kernel: [ 8871.104410] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
      '[    2.100000] usb 1-1: new high-speed USB device number 2 using ehci-pci\r',
      '\tindented with a tab',
      '',
    ]) {
      expect(tests.afterPrompt.wakes(line), line).toBe(false);
    }
  });

  it('wakes on the words, the trace entry shapes and the characters normalisation rewrites', () => {
    const wake = [
      '[   12.000001] WARNING: CPU: 0 PID: 1 at mm/vmscan.c:1 f+0x1/0x2',
      '[   12.000001] Linux version 6.1.0 (gcc)',
      '[   12.000001] reboot: Restarting system',
      '[   12.000001] probe of 0000:00:1f.2 failed with error -12',
      'Dumping ftrace buffer:',
      '  bash-1234  [001] d..1  123.456789: sys_write',
      '  <idle>-0       0d.h1 106467us+: irq_handler_entry',
      'kworker-5 [2] 10.5: foo',
      '{"MESSAGE":"hello","_TRANSPORT":"kernel"}',
      '[   12.000001] some \x1b[31mcolour',
      '[   12.000001] a CR\r in the middle',
      '[   12.000001] caf\u00e9',
      '[   12.000001] an escape \\x0a',
      ' SUBSYSTEM=pci',
      '[   12.000001] page_is_file_cache',
    ];
    for (const line of wake) expect(tests.afterPrompt.wakes(line), JSON.stringify(line)).toBe(true);
  });

  it('wakes on prompts only until the prompt is seen', () => {
    for (const line of ['/ # ', 'root@qemux86-64:~# uname -a', 'buildroot login: root']) {
      expect(tests.untilPrompt.wakes(line), line).toBe(true);
      expect(tests.afterPrompt.wakes(line), line).toBe(false);
    }
  });

  it('wakes on a possible printk or kmsg timestamp until the first one is seen', () => {
    for (const line of ['[    1.000000] usb 1-1: new device', '6,339,5140900,-;usb 1-1: new device', 'Jul 26 12:58:01 host kernel: [ 8871.104410] e1000e: eth0 up']) {
      expect(tests.untilTimestamp.wakes(line), line).toBe(true);
    }
    expect(tests.untilTimestamp.wakes('Jul 26 12:58:01 host kernel: e1000e: eth0 NIC Link is Up')).toBe(false);
  });

  it('handles words of every length', () => {
    const t = new InertLineTest(['@', 'ab', '/ #', 'abcd', 'long word here']);
    expect(t.wakes('x@y')).toBe(true);
    expect(t.wakes('xaby')).toBe(true);
    expect(t.wakes('/ #')).toBe(true);
    expect(t.wakes('zzabcdzz')).toBe(true);
    expect(t.wakes('a long word here')).toBe(true);
    expect(t.wakes('a long word her')).toBe(false);
    expect(t.wakes('acb')).toBe(false);
    expect(t.wakes('/ x')).toBe(false);
    expect(() => new InertLineTest(['caf\u00e9'])).toThrow(/printable ASCII/);
  });

  it('refuses to skip when a mention pattern looks at the start or end of a line', () => {
    const detectors = [{ ...builtinDetectors[0]!, meta: { ...builtinDetectors[0]!.meta, mentions: [{ all: ['^oops'] }] } }];
    expect(quietLineTests(detectors)).toBeUndefined();
  });
});
