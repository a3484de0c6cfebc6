// A full garbage collection right after a large mail message. Node keeps a Buffer's bytes outside
// V8's heap, and they are freed only when V8 collects the Buffer object. A mail message is a
// few small objects holding many megabytes (the raw message, its decoded parts), so V8's heap
// stays at 5-15 MB and collects rarely; it counts the outside bytes too, but lets them grow by
// tens of MB before it acts, in each thread. An mbox of six 31 MB messages with base64
// attachments peaked at ~400 MB RSS with --jobs 2 (~190 MB with --jobs 1) while every heap stayed
// under 15 MB (node --trace-gc). A collection of such a small heap takes ~10 ms, against
// hundreds of ms to decode the message.
//
// Forcing collections is the process owner's decision, like its V8 flags: the CLI and its
// workers call useEagerReclaim(); a program using the library does not get it unless it asks.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Messages at least this large (raw bytes) count: smaller ones are left to V8's own schedule. */
export const LARGE_MESSAGE_BYTES = 1024 * 1024;
/** A collection runs once the large messages done since the last one add up to this. */
export const RECLAIM_MIN_BYTES = 4 * 1024 * 1024;

/** When to collect: counts the bytes of large messages done since the last collection. */
export class Reclaimer {
  private pending = 0;

  constructor(private readonly collect: () => void) {}

  /** A message of `bytes` raw bytes is done: what it allocated is garbage once nothing refers to it. */
  messageDone(bytes: number): void {
    if (bytes >= LARGE_MESSAGE_BYTES) this.pending += bytes;
  }

  /**
   * Called before the next message is decoded (the one before is unreachable by then, which it
   * is not while its own loop iteration runs): collects when enough large messages are done.
   */
  beforeNext(): void {
    if (this.pending < RECLAIM_MIN_BYTES) return;
    this.pending = 0;
    this.collect();
  }
}

let active: Reclaimer | undefined;

/** Lets the mail path collect garbage after large messages (this thread; call once per thread). */
export function useEagerReclaim(): void {
  if (active) return;
  // The gc() function of a new context (the flag applies to contexts made from now on), made
  // when first needed: a context costs a few ms of start-up that a run on logs has no use for.
  setFlagsFromString('--expose-gc');
  let gc: (() => void) | undefined;
  active = new Reclaimer(() => (gc ??= runInNewContext('gc') as () => void)());
}

/** See Reclaimer.messageDone; nothing unless useEagerReclaim() was called in this thread. */
export function messageDone(bytes: number): void {
  active?.messageDone(bytes);
}

/** See Reclaimer.beforeNext; nothing unless useEagerReclaim() was called in this thread. */
export function reclaimBeforeNext(): void {
  active?.beforeNext();
}
