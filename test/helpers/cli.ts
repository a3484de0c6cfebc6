// Runs the CLI in-process with captured streams.
import { PassThrough, Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Sink extends Writable {
  data = '';
  isTTY = false;
  columns = 120;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.data += chunk.toString();
    cb();
  }
}

export async function runCliCaptured(argv: string[], opts: { stdin?: string | Buffer; stdinTTY?: boolean; stdoutTTY?: boolean; stderrTTY?: boolean; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  stdout.isTTY = opts.stdoutTTY ?? false;
  stderr.isTTY = opts.stderrTTY ?? false;
  const stdin = (opts.stdin === undefined ? new PassThrough() : Readable.from([Buffer.from(opts.stdin)])) as Readable & { isTTY?: boolean };
  if (opts.stdin === undefined) (stdin as PassThrough).end();
  stdin.isTTY = opts.stdinTTY ?? false;
  const code = await runCli(argv, { stdout, stderr, stdin, env: opts.env ?? {} });
  return { code, stdout: stdout.data, stderr: stderr.data };
}
