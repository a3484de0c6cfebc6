// What a run loads is much of its start-up (issue 8: under 150 ms). Node makes process.stdin and
// process.stderr on first use, and for a pipe that loads its network module (~6 ms); node:zlib
// and node:fs/promises (which loads readline and file watchers) cost ~1-2 ms each. A run on a
// plain file that writes nothing to stderr needs none of them, and bin/ktriage.js must not make
// them by asking: it tells a terminal on stderr from fstat, and a file is piped without
// Node's pipe(), which looks at both streams.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { freshTmpdir } from './helpers/temp-files.js';

const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'ktriage.js');
const demo = join(repo, 'examples', 'demo.log');
const tmp = freshTmpdir('ktriage-startup-');

/**
 * Runs ktriage with stdin and stderr as pipes (as under a CI runner or `spawn`) and stdout to a
 * file; gives what it wrote and the built-in modules Node had loaded when it exited.
 */
function runRecordingModules(args: string[], stderr: 'pipe' | number = 'pipe'): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const dir = tmp();
  const preload = join(dir, 'record-modules.cjs');
  const list = join(dir, 'modules.json');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
  const outFile = join(dir, 'out.jsonl');
  const out = openSync(outFile, 'w');
  try {
    const r = spawnSync(process.execPath, ['-r', preload, bin, '-f', 'jsonl', ...args], {
      stdio: ['pipe', out, stderr],
      encoding: 'utf8',
    });
    return { status: r.status, stdout: readFileSync(outFile, 'utf8'), stderr: r.stderr, modules: JSON.parse(readFileSync(list, 'utf8')) as string[] };
  } finally {
    closeSync(out);
  }
}

describe('modules a run loads', () => {
  it('a plain file: no socket for stdin or stderr, no zlib, no fs/promises', () => {
    const r = runRecordingModules([demo]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('"title":"WARNING in xfs_vm_writepage"');
    // Every run loads streams: the list is this run's.
    expect(r.modules).toContain('NativeModule stream');
    for (const m of ['NativeModule net', 'NativeModule tty', 'NativeModule zlib', 'NativeModule internal/fs/promises']) expect(r.modules).not.toContain(m);
  });

  it('stderr on /dev/null (a character device, not a terminal) is not opened either', () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = runRecordingModules([demo], devNull);
      expect(r.stdout).toContain('"title":"WARNING in xfs_vm_writepage"');
      for (const m of ['NativeModule net', 'NativeModule tty']) expect(r.modules).not.toContain(m);
    } finally {
      closeSync(devNull);
    }
  });

  it('a gzip file loads zlib when it is opened, and reads the same', () => {
    const dir = tmp();
    const gz = join(dir, 'demo.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(demo)));
    const plain = join(dir, 'demo.log');
    copyFileSync(demo, plain);
    const a = runRecordingModules([plain]);
    const b = runRecordingModules([gz]);
    expect(b.modules).toContain('NativeModule zlib');
    expect(b.stdout.replaceAll(gz, plain)).toBe(a.stdout);
  });

  it('stdin is read when "-" is named, gzip or not', () => {
    const text = readFileSync(demo);
    for (const input of [text, gzipSync(text)]) {
      const r = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-'], { input, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('"title":"WARNING in xfs_vm_writepage"');
      expect(r.stdout).toContain('"source":"-"');
    }
  });

  it('an error on stderr still reaches it', () => {
    const r = runRecordingModules([demo, join(tmp(), 'missing.log')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing.log');
    expect(r.stdout).toContain('"title":"WARNING in xfs_vm_writepage"');
  });
});

describe('the progress bar on a real terminal', () => {
  // util-linux's script(1) runs ktriage on a pseudo-terminal: stderr is a terminal there, which
  // bin/ktriage.js must still tell (fstat says character device, then isatty). The bar hides the
  // cursor when it starts (ESC [?25l); CI must be unset, or the bar is off.
  const env = { ...process.env, CI: '' };
  const underScript = (args: string) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} -o ${JSON.stringify(join(tmp(), 'out.jsonl'))} ${args} ${JSON.stringify(demo)}`;
    return spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env }).stdout;
  };

  it('is drawn when stderr is a terminal', () => {
    expect(underScript('')).toContain('\x1b[?25l');
  });

  it('is not drawn with --no-progress', () => {
    expect(underScript('--no-progress')).not.toContain('\x1b[?25l');
  });
});
