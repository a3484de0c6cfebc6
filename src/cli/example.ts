// The example log bundled with the package, analysed by `ktriage --example`
// and when ktriage is started on a terminal without input.
import { fileURLToPath } from 'node:url';

/** Path of the bundled example (examples/ at the package root, next to dist/). */
export function examplePath(): string {
  return fileURLToPath(new URL('../../examples/demo.log', import.meta.url));
}
