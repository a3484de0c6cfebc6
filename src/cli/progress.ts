// A progress bar on stderr for long runs: input MB read, messages done, rate, ETA.
// Shown only when stderr is a terminal (never in CI logs or when redirected).
import { statPath } from '../input/fs-calls.js';
import type { CliIo } from './io.js';

export interface Progress {
  /** A source the run has reached: its size joins the total. */
  onSource(name: string): void;
  onBytes(n: number): void;
  onMessages(n: number): void;
  /** Prints a line above the bar (stderr messages must not tear it). */
  log(text: string): void;
  stop(): void;
}

const MB = 1024 * 1024;

/** A bar when `enabled`, otherwise a no-op whose log() writes straight to stderr. */
export async function createProgress(io: CliIo, enabled: boolean): Promise<Progress> {
  if (!enabled) {
    return { onSource() {}, onBytes() {}, onMessages() {}, log: (t) => void io.stderr.write(t), stop() {} };
  }
  const { default: cliProgress } = await import('cli-progress');
  const multi = new cliProgress.MultiBar(
    {
      stream: io.stderr,
      format: ' {bar} {percentage}% | {doneMb}/{totalMb} MB | {messages} messages | {rate} MB/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let messages = 0;
  let total = 0;
  const started = Date.now();
  const bar = multi.create(1, 0, { doneMb: '0', totalMb: '?', messages: 0, rate: '0' });
  const payload = () => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    return { doneMb: (done / MB).toFixed(0), messages, rate: (done / MB / secs).toFixed(1) };
  };
  return {
    onSource(name) {
      // Its size on disk (compressed for .gz), matching what onBytes counts. A directory is walked
      // as it is read, so the total grows as the run reaches its files.
      if (name === '-') return;
      statPath(name).then(
        (s) => {
          total += s.size;
          bar.setTotal(Math.max(1, total));
          bar.update(done, { ...payload(), totalMb: (total / MB).toFixed(0) });
        },
        () => {},
      );
    },
    onBytes(n) {
      done += n;
      bar.update(done, payload());
    },
    onMessages(n) {
      messages += n;
      bar.update(done, payload());
    },
    log(text) {
      multi.log(text.endsWith('\n') ? text : `${text}\n`);
      multi.update(); // flush now: a message must not wait for (or be lost before) the next redraw
    },
    stop() {
      multi.stop();
    },
  };
}
