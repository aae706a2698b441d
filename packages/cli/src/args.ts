import { parseArgs } from 'node:util';

import { UsageError } from './errors';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** Options every command accepts. */
const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

export type ParsedArgs = {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
};

const firstSentence = (message: string) => message.split(/\.\s/)[0]!.replace(/\.$/, '');

/** `node:util` parseArgs, with its errors turned into one-line usage errors. */
export const parseCommandArgs = (
  command: string,
  argv: string[],
  options: Record<string, OptionSpec>,
  { positionals = false } = {}
): ParsedArgs => {
  try {
    const { values, positionals: rest } = parseArgs({
      args: argv,
      options: { ...commonOptions, ...options },
      allowPositionals: positionals,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals: rest };
  } catch (error: unknown) {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    const hint = `run "sms-connector ${command} --help" for the options`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unknown option ${option} for "${command}"`, hint);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /(--[\w-]+)/.exec(message)?.[1];
      throw new UsageError(
        option && /argument missing/.test(message) ? `option ${option} needs a value` : firstSentence(message),
        hint
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const value = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unexpected argument "${value}" for "${command}"`, hint);
    }
    throw new UsageError(firstSentence(message), hint);
  }
};

export const stringOption = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
};

export const requiredOption = (args: ParsedArgs, command: string, name: string, example: string): string => {
  const value = stringOption(args, name);
  if (value === undefined || value.trim() === '') {
    throw new UsageError(`missing --${name} (e.g. --${name} ${example})`, `run "sms-connector ${command} --help" for the options`);
  }
  return value;
};
