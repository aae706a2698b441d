import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { CliError } from './errors';

const lineAndColumn = (text: string, position: number) => {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { line, column };
};

const reasonOf = (error: unknown, text: string): string => {
  const message = error instanceof Error ? error.message : String(error);
  // Node 20: "Unexpected token } in JSON at position 42"; Node 22: "… is not valid JSON" / "(line 3 column 5)".
  const position = /at position (\d+)/.exec(message)?.[1];
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+/, '')
    .replace(/^JSON\.parse: /, '')
    .replace(/\s+/g, ' ');
  if (position === undefined) {
    return reason;
  }
  const { line, column } = lineAndColumn(text, Number(position));
  return `${reason} (line ${line}, column ${column})`;
};

/** Reads a JSON object from a file, failing with one readable line for each way it can go wrong. */
export const readJsonObject = (
  file: string,
  what = 'config file'
): { path: string; value: Record<string, unknown> } => {
  const absolute = path.resolve(file);
  let text: string;
  try {
    if (statSync(absolute).isDirectory()) {
      throw new CliError(`${what} ${file} is a directory, not a JSON file`);
    }
    text = readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  } catch (error: unknown) {
    if (error instanceof CliError) {
      throw error;
    }
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new CliError(`${what} not found: ${file}`);
    }
    throw new CliError(`cannot read ${what} ${file}: ${code ?? (error as Error).message}`);
  }
  if (text.trim() === '') {
    throw new CliError(`${what} ${file} is empty: it must hold a JSON object`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new CliError(`${what} ${file} is not valid JSON: ${reasonOf(error, text)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new CliError(`${what} ${file} must hold a JSON object (the connector config), not ${kind}`);
  }
  return { path: absolute, value: value as Record<string, unknown> };
};
