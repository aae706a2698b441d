import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The providers' published signature examples, copied from shared/vectors into test/vectors. */
export const vectorDirectory = fileURLToPath(new URL('vectors', import.meta.url));

export const readVector = <Vector>(name: string): Vector =>
  JSON.parse(readFileSync(path.join(vectorDirectory, name), 'utf8')) as Vector;

export const vectorNames = (prefix: string): string[] =>
  readdirSync(vectorDirectory).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
