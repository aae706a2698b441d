// The sms-connector command as one executable file, lib/sms-connector.js; the root build runs this script.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleBin } from '../../../scripts/bundle-bin.mjs';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function build() {
  return [await bundleBin({ packageDir, entry: 'src/main.ts', outfile: 'lib/sms-connector.js' })];
}
