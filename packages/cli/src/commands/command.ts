import type { Output } from '../output';

export type Command = {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Returns the exit code. Expected failures throw CliError; anything else is a bug. */
  run: (argv: string[], out: Output) => Promise<number>;
};
