// The catalog as one ESM module, lib/catalog.js, for the plain Node scripts of the bench; the root
// build runs this script. TypeScript code (the CLI, the sandbox, the tests) imports src/ directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleBin } from '../../../scripts/bundle-bin.mjs';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function build() {
  return [await bundleBin({ packageDir, entry: 'src/index.ts', outfile: 'lib/catalog.js', executable: false })];
}
