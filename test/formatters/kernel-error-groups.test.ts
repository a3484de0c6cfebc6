// The table's kernel errors: errors that differ only in their numbers are one row with a count.
import { describe, expect, it } from 'vitest';
import { KernelErrorGroups, MAX_GROUPS, messageShape } from '../../src/formatters/kernel-error-groups.js';
import { formatBoot } from '../../src/formatters/table.js';
import type { KernelErrorRecord } from '../../src/model/boot.js';

function ioError(line: number, sector: number, dev = 'sda', source = 'kern.log'): KernelErrorRecord {
  return {
    kind: 'kernel-error',
    source,
    line,
    severity: 'error',
    category: 'io-error',
    message: `I/O error, dev ${dev}, sector ${sector} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2`,
    device: dev,
  };
}

describe('kernel error groups', () => {
  it('takes the numbers out of a message', () => {
    expect(messageShape('I/O error, dev sda, sector 123456 op 0x0:(READ) flags 0x80700')).toBe('I/O error, dev sda, sector N op N:(READ) flags N');
    expect(messageShape('probe of ffff888012345678 failed with error -22')).toBe('probe of N failed with error -N');
  });

  it('counts errors alike in one row, at the line of the first, and keeps devices and sources apart', () => {
    const g = new KernelErrorGroups();
    for (let i = 0; i < 5; i++) g.add(ioError(10 + i, 1000 + 8 * i));
    g.add(ioError(20, 5, 'sdb'));
    g.add(ioError(3, 7, 'sda', 'other.log'));
    expect(g.list().map((x) => [x.first.source, x.first.line, x.first.device, x.count])).toEqual([
      ['kern.log', 10, 'sda', 5],
      ['kern.log', 20, 'sdb', 1],
      ['other.log', 3, 'sda', 1],
    ]);
    expect(formatBoot([], g, 7)).toBe(
      [
        '',
        'Kernel errors (7):',
        '  kern.log:10  error  I/O error, dev sda, sector 1000 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2 (5 times, numbers aside)',
        '  kern.log:20  error  I/O error, dev sdb, sector 5 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2',
        '  other.log:3  error  I/O error, dev sda, sector 7 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2',
        '',
      ].join('\n'),
    );
  });

  it('keeps at most MAX_GROUPS rows and counts the rest', () => {
    const g = new KernelErrorGroups();
    for (let i = 0; i < MAX_GROUPS + 5; i++) g.add({ ...ioError(i + 1, 1), device: `dm-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`, message: `error on dm-${i}x` });
    expect([g.list().length, g.ungrouped]).toEqual([MAX_GROUPS, 5]);
    // The table shows the first 20 rows and says how many errors it left out.
    const out = formatBoot([], g, MAX_GROUPS + 5).trim().split('\n');
    expect(out.length).toBe(1 + 20 + 1);
    expect(out.at(-1)).toBe(`  ... ${MAX_GROUPS + 5 - 20} more (--format jsonl lists every one)`);
  });
});
