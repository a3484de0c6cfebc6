// mm/oom_kill.c: the OOM killer's verdict line, "Out of memory: Killed process N (comm) total-vm:..."
// (v4.19+; "Memory cgroup out of memory: ..." for a memcg), before v5.0 "Out of memory: Kill process N
// (comm) score S or sacrifice child". KERN_ERR, while the report before it is KERN_WARNING: a log kept at
// error level has the verdict alone. Lines hand-written in those formats.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { FIXTURES, readFixture } from '../helpers/fixtures.js';

const titles = (text: string) => analyzeText(text).map((r) => [r.title, r.crashClass, r.severity]);

describe('OOM kills', () => {
  it('titles a verdict line alone by the process killed', () => {
    const text = [
      '[ 1234.567890] Out of memory: Killed process 4321 (java) total-vm:12345678kB, anon-rss:8765432kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:20480kB oom_score_adj:0',
      'Nov 28 10:00:00 db1 kernel: Memory cgroup out of memory: Killed process 999 (postgres) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0',
      '[  812.000000] Out of memory: Kill process 2718 (mysqld) score 912 or sacrifice child',
      '[  812.000100] Killed process 2718 (mysqld) total-vm:2811624kB, anon-rss:1893012kB, file-rss:0kB, shmem-rss:0kB',
    ].join('\n');
    expect(titles(text)).toEqual([
      ['OOM: out of memory, killed java', 'oom', 'warning'],
      ['OOM: memory cgroup out of memory, killed postgres', 'oom', 'warning'],
      ['OOM: out of memory, killed mysqld', 'oom', 'warning'],
    ]);
  });

  it('ends the OOM report at its verdict, after the memcg stats and the task list', () => {
    // The memcg OOM fixture: the report runs from "invoked oom-killer:" to the verdict on its last line.
    const fx = readFixture(join(FIXTURES, 'logs', 'mm', 'oom-memcg.hand.log'));
    const reports = analyzeText(fx.log.toString('utf8'));
    expect(reports.map((r) => [r.title, r.rawLines.at(-1)?.slice(0, 53)])).toEqual([
      ['OOM: out of memory in shmem_add_to_page_cache', 'Memory cgroup out of memory: Killed process 6101 (sh)'],
    ]);
  });

  it('takes no other "out of memory" line for one', () => {
    const text = [
      '[  100.000000] mlx5_core 0000:3b:00.0: mlx5_cmd_exec: out of memory',
      '[  100.000001] ath10k_pci 0000:02:00.0: failed to allocate: out of memory: -12',
      // Another program's line in a syslog file.
      'Nov 28 10:00:00 db1 myapp[812]: Out of memory: Killed process 1 (x) total-vm:1kB',
    ].join('\n');
    expect(titles(text)).toEqual([]);
  });
});
