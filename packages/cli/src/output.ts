import { createRedactor, type Redactor } from '@sms-suite/sms-kit';

const ansi = (open: number, close: number) => (enabled: boolean) => (text: string) =>
  enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;

const styles = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  cyan: ansi(36, 39),
};

export type Style = Record<keyof typeof styles, (text: string) => string>;

const colorWanted = (noColor: boolean): boolean => {
  if (noColor || process.env.NO_COLOR) {
    return false;
  }
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') {
    return true;
  }
  return Boolean(process.stdout.isTTY);
};

/**
 * Everything the CLI prints goes through here, and through the redactor of the current command: a
 * config's secrets are registered as soon as the config is read, so no line can carry one.
 */
export class Output {
  readonly style: Style;
  readonly verbose: boolean;
  #redact: Redactor = (text) => text;
  #secrets: string[] = [];

  constructor({ verbose = false, noColor = false } = {}) {
    this.verbose = verbose;
    const enabled = colorWanted(noColor);
    this.style = Object.fromEntries(Object.entries(styles).map(([name, make]) => [name, make(enabled)])) as Style;
  }

  /** Registers secret values: from now on they are replaced by [redacted] in every line. */
  addSecrets(secrets: readonly string[]): void {
    this.#secrets.push(...secrets);
    this.#redact = createRedactor(this.#secrets);
  }

  redact(text: string): string {
    return this.#redact(text);
  }

  print(text = ''): void {
    process.stdout.write(`${this.#redact(text)}\n`);
  }

  /** A line on stderr: diagnostics that are not the command's result. */
  note(text: string): void {
    process.stderr.write(`${this.#redact(text)}\n`);
  }

  warn(text: string): void {
    this.note(`${this.style.yellow('warning:')} ${text}`);
  }

  debug(text: string): void {
    if (this.verbose) {
      this.note(this.style.dim(text));
    }
  }
}

/**
 * Left-aligned columns separated by two spaces, colour codes taking no width. The sandbox package
 * owns it because its banner (printed by `sms-sandbox` and `sms-connector sandbox`) is laid out with
 * it; the CLI's other tables use the same, so that every table reads alike.
 */
export { formatColumns as formatTable } from '@sms-suite/sandbox';

export const indent = (text: string, prefix = '  '): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
