// The two seed documents, fed as they are, must yield the known-bug findings
// issue #3 asks for. Usage: node scripts/eval-seeds.mjs   (after `npm run build`)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTextRecords } from '../dist/index.js';
import { corpusDir } from './eval-syzkaller.mjs';

const expectations = [
  {
    file: '004_d087e3e7bbe00a63.txt',
    what: 'the quoted xfs splat matches writeback-from-direct-reclaim, affected on 3.15.0+',
    ok: (recs) =>
      recs.some((r) => r.kind === 'finding' && r.detector === 'writeback-from-direct-reclaim' && r.match === 'splat' && r.verdict === 'affected' && recs[0]?.title === 'WARNING in xfs_vm_writepage'),
  },
  {
    file: '000_3a4d7f3b084836dc.txt',
    what: 'the prose is a mention of stale-writeback-wakeup',
    ok: (recs) => recs.some((r) => r.kind === 'finding' && r.detector === 'stale-writeback-wakeup' && r.match === 'mention' && r.report === null),
  },
];

export function runSeedsEval() {
  const dir = join(corpusDir(), '..', 'seeds');
  if (!existsSync(dir)) return null;
  let passed = 0;
  for (const e of expectations) {
    const recs = analyzeTextRecords(readFileSync(join(dir, e.file), 'utf8'), e.file);
    const ok = e.ok(recs);
    if (ok) passed++;
    console.log(`seeds: ${ok ? 'ok  ' : 'FAIL'} ${e.file}: ${e.what}`);
  }
  return passed / expectations.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (runSeedsEval() === null) console.log('seeds not found: skipped');
}
