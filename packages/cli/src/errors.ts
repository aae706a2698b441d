/** Exit codes: 0 ok, 1 failure or invalid input, 2 usage error. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** An expected failure: printed as one `error:` line (plus an optional hint), never with a stack trace. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
    readonly hint?: string
  ) {
    super(message);
  }
}

/** The command line itself is wrong: unknown option, missing value, unknown command or connector. */
export class UsageError extends CliError {
  override name = 'UsageError';

  constructor(message: string, hint?: string) {
    super(message, exitCodes.usage, hint);
  }
}
