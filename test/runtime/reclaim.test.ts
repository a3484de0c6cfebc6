// A full collection after large mail messages (src/runtime/reclaim.ts).
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LARGE_MESSAGE_BYTES, RECLAIM_MIN_BYTES, Reclaimer, messageDone, reclaimBeforeNext, useEagerReclaim } from '../../src/runtime/reclaim.js';

const MiB = 1024 * 1024;

describe('Reclaimer', () => {
  it('collects once large messages add up to 4 MiB, before the next message, then counts again', () => {
    expect(LARGE_MESSAGE_BYTES).toBe(MiB);
    expect(RECLAIM_MIN_BYTES).toBe(4 * MiB);
    let collections = 0;
    const r = new Reclaimer(() => collections++);
    r.messageDone(3 * MiB);
    r.beforeNext();
    expect(collections).toBe(0);
    r.messageDone(1 * MiB);
    expect(collections).toBe(0); // not while the message's own iteration runs
    r.beforeNext();
    expect(collections).toBe(1);
    r.beforeNext();
    expect(collections).toBe(1);
  });

  it('leaves small messages to V8: a thousand 100 KB messages (100 MB) never collect', () => {
    let collections = 0;
    const r = new Reclaimer(() => collections++);
    for (let i = 0; i < 1000; i++) {
      r.messageDone(100 * 1024);
      r.beforeNext();
    }
    expect(collections).toBe(0);
  });
});

describe('useEagerReclaim', () => {
  it('makes the garbage of a large message go at the next message', async () => {
    useEagerReclaim();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ decoded: Buffer.alloc(64) });
    })();
    // A WeakRef's target is kept until the job that made it ends.
    await tick();
    messageDone(5 * MiB);
    reclaimBeforeNext();
    expect(ref!.deref()).toBeUndefined();
  });
});
