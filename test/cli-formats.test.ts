// --format junit|github|sarif|markdown as a user runs them (validated by xmllint and ajv).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, threeLogs } from './helpers/ci-logs.js';
import { runCliCaptured } from './helpers/cli.js';
import { sarifSchemaErrors } from './helpers/sarif-schema.js';
import { junitSchemaErrors, xpath } from './helpers/xmllint.js';

describe('--format junit|github|sarif|markdown', () => {
  it('junit for the bundled example validates, one failing testcase, exit code 1', async () => {
    const r = await runCliCaptured(['--example', '-f', 'junit']);
    expect(r.code).toBe(1);
    expect(junitSchemaErrors(r.stdout)).toBe('');
    expect(xpath(r.stdout, 'string(//testcase/@name)')).toBe('WARNING in xfs_vm_writepage');
    expect(xpath(r.stdout, 'string(//testcase/failure/@message)')).toBe('WARNING in xfs_vm_writepage at fs/xfs/xfs_aops.c:971');
    expect(xpath(r.stdout, 'string(//testcase/failure)')).toContain('known bug: Filesystem writepage from direct reclaim');
  });

  it('junit lists a source without reports and an unreadable input', async () => {
    const { dir, warning } = threeLogs();
    const clean = join(dir, 'clean.log');
    writeFileSync(clean, '[    0.000000] Linux version 6.1.0 (gcc) #1 SMP\n');
    const r = await runCliCaptured(['-f', 'junit', '-j', '1', join(dir, 'missing.log'), warning, clean]);
    expect(r.code).toBe(2);
    expect(junitSchemaErrors(r.stdout)).toBe('');
    expect(xpath(r.stdout, 'string(//testsuite[1]/testcase/error/@type)')).toBe('input.not-found');
    expect(xpath(r.stdout, 'string(//testsuite[2]/@name)')).toBe(warning);
    expect(xpath(r.stdout, 'string(//testsuite[3]/testcase/@name)')).toBe('no kernel report');
  });

  it('sarif for three logs validates', async () => {
    const { warning, bug, kasan } = threeLogs();
    const r = await runCliCaptured(['-f', 'sarif', warning, bug, kasan]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { version: string } }; results: Array<{ ruleId: string }> }> };
    expect(sarifSchemaErrors(log)).toBe('');
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toEqual(['warning', 'bug', 'kasan']);
    expect(log.runs[0]!.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('github appends a Markdown summary to $GITHUB_STEP_SUMMARY, after what is there', async () => {
    const dir = tempDir();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCliCaptured(['--example', '-f', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=fs\/xfs\/xfs_aops\.c,line=971,title=WARNING in xfs_vm_writepage::WARNING in xfs_vm_writepage%0A/);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## ktriage: 1 kernel report(s), 1 failing\n')).toBe(true);
    expect(md).toContain('| failing | WARNING in xfs\\_vm\\_writepage | warning | fs/xfs/xfs\\_aops.c:971 |');
  });

  it('an unwritable $GITHUB_STEP_SUMMARY is an error naming it', async () => {
    const r = await runCliCaptured(['--example', '-f', 'github'], { env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktriage: /nonexistent-dir/summary.md: cannot write: no such directory\n');
  });

  it('markdown starts with the headline', async () => {
    const r = await runCliCaptured(['--example', '-f', 'markdown']);
    expect(r.stdout.split('\n')[0]).toBe('## ktriage: 1 kernel report(s), 1 failing');
  });

  it('--group works only with table, json and jsonl', async () => {
    const r = await runCliCaptured(['--example', '-f', 'sarif', '--group']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktriage: --group works with the table, json and jsonl formats, not sarif\n');
  });
});

describe('bin/ktriage.js (spawned)', () => {
  it('--format junit -o writes a valid file and sets the exit code', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    const out = join(dir, 'out', 'kernel.xml');
    const bin = join(import.meta.dirname, '..', 'bin', 'ktriage.js');
    const r = spawnSync(process.execPath, [bin, '--example', '-f', 'junit', '-o', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(junitSchemaErrors(readFileSync(out, 'utf8'))).toBe('');
  });
});
