// A progress bar on stderr for long runs: input MB read, messages done, rate, ETA.
// Shown only when stderr is a terminal (never in CI logs or when redirected).
import { statPath } from '../input/fs-calls.js';
import { inputFiles } from '../input/sources.js';
import type { CliIo } from './io.js';

export interface Progress {
  /** The run's inputs (paths, "-"): the total is the size of the files they name or hold. */
  onInputs(inputs: readonly string[]): void;
  onBytes(n: number): void;
  onMessages(n: number): void;
  /** Prints a line above the bar (stderr messages must not tear it). */
  log(text: string): void;
  stop(): void;
}

const MB = 1024 * 1024;
/** Files whose sizes are asked for at once (see onInputs). */
const STAT_BATCH = 1024;

/** Seconds left as "45s", "3m05s" or "2h10m". */
export function formatEta(secs: number): string {
  const s = Math.round(secs);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A bar when `enabled`, otherwise a no-op whose log() writes straight to stderr. */
export async function createProgress(io: CliIo, enabled: boolean): Promise<Progress> {
  if (!enabled) {
    return { onInputs() {}, onBytes() {}, onMessages() {}, log: (t) => void io.stderr.write(t), stop() {} };
  }
  const { default: cliProgress } = await import('cli-progress');
  const multi = new cliProgress.MultiBar(
    {
      stream: io.stderr,
      // Percentage and ETA of our own: cli-progress shows 100% while the total is unknown and prints
      // an infinite ETA as "NFs".
      format: ' {bar} {pct}% | {doneMb}/{totalMb} MB | {messages} messages | {rate} MB/s | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let messages = 0;
  /** Bytes the inputs' files hold, once their walk (onInputs) is over; stdin alone never has one. */
  let total: number | undefined;
  const started = Date.now();
  // An empty bar until the total is known.
  const bar = multi.create(Number.MAX_SAFE_INTEGER, 0, { doneMb: '0', totalMb: '?', messages: 0, rate: '0', pct: 0, etaText: '?' });
  const payload = () => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const pct = total === undefined ? 0 : total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
    const etaText = total === undefined || done === 0 ? '?' : formatEta((Math.max(0, total - done) * secs) / done);
    return { doneMb: (done / MB).toFixed(0), messages, rate: (done / MB / secs).toFixed(1), pct, etaText };
  };
  return {
    onInputs(inputs) {
      // Sizes on disk (compressed for .gz), matching what onBytes counts, added up by a walk of
      // its own while the run goes on: the run walks a directory only as it reads it, and a total
      // that grew with the run's walk would stay near 100%. Stdin and pipes have no size.
      void (async () => {
        let sum = 0;
        // Stats in batches, all in flight at once: the run lets the event loop turn only every
        // 50 ms or so while it reads small files (src/input/sources.ts), and one stat a turn would
        // take minutes over a large directory.
        let batch: string[] = [];
        const addBatch = async () => {
          for (const size of await Promise.all(batch.map((p) => statPath(p).then((st) => st.size, () => 0)))) sum += size;
          batch = [];
        };
        for await (const path of inputFiles(inputs)) {
          batch.push(path);
          if (batch.length < STAT_BATCH) continue;
          await addBatch();
          // Still walking: "12+ MB".
          bar.update(done, { ...payload(), totalMb: `${(sum / MB).toFixed(0)}+` });
        }
        await addBatch();
        total = sum;
        bar.setTotal(Math.max(1, total));
        bar.update(done, { ...payload(), totalMb: (total / MB).toFixed(0) });
      })();
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
