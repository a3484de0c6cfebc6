// The heap in use after full collections, for tests that check what a structure keeps alive.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** MB of V8 heap in use after two full collections (the second frees what the first's finalisers let go). */
export function usedHeapMb(): number {
  gc();
  gc();
  return getHeapStatistics().used_heap_size / 1024 / 1024;
}
