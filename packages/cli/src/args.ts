import { parseArgs } from 'node:util';

import { UsageError } from './errors';
import { closest } from './suggest';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** Options every command accepts. */
const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

export type ParsedArgs = {
  /** A `multiple` option is a list of its values, in the order given. */
  values: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
};

const firstSentence = (message: string) => message.split(/\.\s/)[0]!.replace(/\.$/, '');

/** `--connector (-c)`: every option a command takes, as its help names them. */
const optionList = (options: Record<string, OptionSpec>): string =>
  Object.entries(options)
    .map(([name, spec]) => `--${name}${spec.short ? ` (-${spec.short})` : ''}`)
    .join(', ');

/**
 * What was typed for an option parseArgs reports as unknown. A single-dash word (`-sandbox`) is read
 * by parseArgs as a group of short options and reported as its first letter (`-s`): the whole word
 * is what the user meant, as a long option.
 */
const typedOption = (reported: string, argv: readonly string[]): { shown: string; name: string } => {
  const end = argv.indexOf('--');
  const word = (end === -1 ? argv : argv.slice(0, end)).find(
    (arg) => /^-[^-]/.test(arg) && arg.length > 2 && arg.startsWith(reported)
  );
  const shown = (word ?? reported).replace(/=.*$/, '');
  return { shown, name: shown.replace(/^-+/, '') };
};

/** An unknown option is a usage error naming the closest option (`--sandbx` → `--sandbox`) and every option of the command. */
const unknownOptionError = (
  command: string,
  reported: string,
  argv: readonly string[],
  options: Record<string, OptionSpec>
): UsageError => {
  const { shown, name } = typedOption(reported, argv);
  // A one-letter option is not a typo of a long name: only the list helps there.
  const match = name.length > 1 ? closest(name, Object.keys(options)) : undefined;
  const suggestion = match ? ` (did you mean "--${match}"?)` : '';
  return new UsageError(
    `unknown option ${shown} for "${command}"${suggestion}`,
    `"${command}" takes ${optionList(options)}; run "sms-connector ${command} --help" for what they do`
  );
};

/** `node:util` parseArgs, with its errors turned into one-line usage errors. */
export const parseCommandArgs = (
  command: string,
  argv: string[],
  options: Record<string, OptionSpec>,
  { positionals = false } = {}
): ParsedArgs => {
  const allOptions: Record<string, OptionSpec> = { ...options, ...commonOptions };
  try {
    const { values, positionals: rest } = parseArgs({
      args: argv,
      options: allOptions,
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
      throw unknownOptionError(command, option, argv, allOptions);
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

/** Every value of a repeatable (`multiple`) option, in the order given; none → []. */
export const stringListOption = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
};

export const requiredOption = (args: ParsedArgs, command: string, name: string, example: string): string => {
  const value = stringOption(args, name);
  if (value === undefined || value.trim() === '') {
    throw new UsageError(
      `missing --${name} (e.g. --${name} ${example})`,
      `run "sms-connector ${command} --help" for the options`
    );
  }
  return value;
};
