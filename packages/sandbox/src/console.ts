/**
 * The sandbox in a terminal, as `sms-sandbox` and `sms-connector sandbox` both show it: the
 * endpoints and credentials to put in a config, the magic numbers, the request log and every message
 * as it arrives, until SIGINT or SIGTERM. One implementation, so that the two commands read the same.
 */
import { sandboxCredentials } from './credentials';
import { formatInboxEntry } from './inbox';
import { magicNumbers } from './magic';
import { outageDescriptions, outageModes, type OutageMode, type Outages } from './outages';
import { startSandbox } from './server';
import { sandboxProviders, type InboxEntry, type Sandbox, type SandboxProvider } from './types';

/** The port both commands listen on unless told otherwise; the CLI's example configs point at it. */
export const defaultSandboxPort = 4010;

/** How a caller colours the lines; the CLI passes its own (colour only on a terminal). */
export type ConsoleStyle = Record<'bold' | 'dim' | 'green' | 'cyan', (text: string) => string>;

const unstyled = (text: string) => text;
export const plainStyle: ConsoleStyle = { bold: unstyled, dim: unstyled, green: unstyled, cyan: unstyled };

/** `--port` values both commands accept: 0 (any free port) to 65535. */
export const isPortNumber = (value: string): boolean => /^\d+$/.test(value) && Number(value) <= 65_535;

// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B\[\d+m/g;
const visibleLength = (text: string) => [...text.replace(ansiPattern, '')].length;

/** Left-aligned columns separated by two spaces; the last column is not padded. Colour codes take no width. */
export const formatColumns = (rows: string[][]): string[] => {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat(widths[index]! - visibleLength(cell))))
      .join('  ')
      .trimEnd()
  );
};

const credentialsText = (credentials: Readonly<Record<string, string>>) =>
  Object.entries(credentials)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');

/** One row per provider: name, the `endpoint` to configure, the credentials the sandbox accepts. */
export const endpointLines = (sandbox: Pick<Sandbox, 'endpointFor'>): string[] =>
  formatColumns(
    sandboxProviders.map((provider) => [
      `  ${provider}`,
      sandbox.endpointFor(provider),
      credentialsText(sandboxCredentials[provider]),
    ])
  );

/** `Throttled: the provider's per-number rate limit (Twilio 20429, …)` → `Throttled: the provider's per-number rate limit` */
const shortDescription = (description: string) => description.replace(/\s*\(.*$/s, '');

/** One row per outcome: its numbers (international and mainland China), the outcome, what it does. */
export const magicNumberLines = (): string[] => {
  const byOutcome = new Map<string, { numbers: string[]; description: string; providers: string }>();
  for (const magic of magicNumbers) {
    const row = byOutcome.get(magic.outcome) ?? {
      numbers: [],
      description: shortDescription(magic.description),
      providers: magic.providers === 'all' ? 'all providers' : magic.providers.join(', '),
    };
    row.numbers.push(magic.number);
    byOutcome.set(magic.outcome, row);
  }
  return formatColumns(
    [...byOutcome].map(([outcome, { numbers, description, providers }]) => [
      `  ${numbers.join('  ')}`,
      outcome,
      `${description}${providers === 'all providers' ? '' : ` (${providers})`}`,
    ])
  );
};

/** One row per outage mode: its name and what it does (for the commands' help). */
export const outageModeLines = (): string[] =>
  formatColumns(outageModes.map((mode) => [`  ${mode}`, shortDescription(outageDescriptions[mode])]));

/**
 * The outages in force: a heading and one row per provider (name, mode, what it does), or one line
 * saying how to start one when there is none.
 */
export const outageLines = (sandbox: Pick<Sandbox, 'url' | 'outages'>, style: ConsoleStyle = plainStyle): string[] => {
  const active = Object.entries(sandbox.outages) as Array<[SandboxProvider, OutageMode]>;
  if (active.length === 0) {
    return [
      `No outages. ${style.dim(`To make one provider fail: --outage twilio=unavailable, or PUT ${sandbox.url}/outages/twilio {"mode": "unavailable"}.`)}`,
    ];
  }
  return [
    style.bold(
      `Outages (these providers fail every request; PUT or DELETE ${sandbox.url}/outages/<provider> to change):`
    ),
    ...formatColumns(
      active.map(([provider, mode]) => [`  ${provider}`, mode, shortDescription(outageDescriptions[mode])])
    ),
  ];
};

/** Everything printed once the sandbox listens, ending with the line that says it is ready. */
export const bannerLines = (
  sandbox: Pick<Sandbox, 'url' | 'endpointFor' | 'outages'>,
  style: ConsoleStyle = plainStyle
): string[] => [
  `${style.green('✔ SMS sandbox')} listening on ${sandbox.url} · inbox: GET ${sandbox.url}/inbox`,
  '',
  style.bold('Point a connector config at it with this "endpoint" and these credentials:'),
  ...endpointLines(sandbox),
  '',
  style.bold('Magic numbers (every provider answers with its own real error):'),
  ...magicNumberLines(),
  '',
  ...outageLines(sandbox, style),
  '',
  `Waiting for messages. ${style.dim('Ctrl-C to stop.')}`,
];

/** `inbox twilio → +16502530000 (…)` with the message on the next line, under the entry. */
export const arrivalText = (entry: InboxEntry, style: ConsoleStyle = plainStyle): string =>
  `${style.cyan('inbox')} ${formatInboxEntry(entry).split('\n').join('\n      ')}`;

export const stoppedLine = (received: number): string =>
  `Sandbox stopped (${received} message${received === 1 ? '' : 's'} received).`;

/**
 * The system error code of a failed listen. startSandbox rewords EADDRINUSE ("Port N on 127.0.0.1 is
 * already in use") and keeps the code, but a caller may hand over either form.
 */
export const listenErrorCode = (error: unknown): string | undefined =>
  (error as { code?: string } | undefined)?.code ??
  (error instanceof Error && /already in use/i.test(error.message) ? 'EADDRINUSE' : undefined);

/** What to tell the user when the port cannot be listened on; undefined for any other failure. */
export const portProblem = (error: unknown, port: number): { message: string; hint: string } | undefined => {
  switch (listenErrorCode(error)) {
    case 'EADDRINUSE': {
      return {
        message: `port ${port} is already in use`,
        hint: 'choose another with --port, or --port 0 for any free port',
      };
    }
    case 'EACCES': {
      return { message: `not allowed to listen on port ${port}`, hint: 'use a port above 1023' };
    }
    default: {
      return undefined;
    }
  }
};

export type SandboxConsoleOptions = {
  port: number;
  /** The port was only the default: when it is taken, listen on a free one (after a warning) instead of failing. */
  portIsDefault: boolean;
  /** One line of the command's output (stdout). */
  print: (line: string) => void;
  /** A warning line, without a `warning:` prefix (stderr). */
  warn: (text: string) => void;
  style?: ConsoleStyle;
  /** Providers in an outage from the start (`--outage`). */
  outages?: Outages;
};

export type SandboxConsole = {
  sandbox: Sandbox;
  /** Messages accepted so far. */
  received(): number;
  /** Closes the sandbox and prints how many messages it received. */
  stop(): Promise<void>;
};

/**
 * Starts the sandbox and prints the banner, then the request log and each message as it arrives.
 * A port that cannot be listened on rejects with the listen error (see portProblem).
 */
export const startSandboxConsole = async ({
  port,
  portIsDefault,
  print,
  warn,
  style = plainStyle,
  outages,
}: SandboxConsoleOptions): Promise<SandboxConsole> => {
  let received = 0;
  const options = {
    ...(outages && { outages }),
    onMessage: (entry: InboxEntry) => {
      received += 1;
      print(arrivalText(entry, style));
    },
    log: (line: string) => {
      print(style.dim(line));
    },
  };
  const listen = async (): Promise<Sandbox> => {
    try {
      return await startSandbox({ ...options, port });
    } catch (error: unknown) {
      if (!portIsDefault || listenErrorCode(error) !== 'EADDRINUSE') {
        throw error;
      }
      warn(`port ${port} is in use: listening on a free port instead`);
      return startSandbox({ ...options, port: 0 });
    }
  };

  const sandbox = await listen();
  bannerLines(sandbox, style).forEach((line) => {
    print(line);
  });
  return {
    sandbox,
    received: () => received,
    stop: async () => {
      await sandbox.close();
      print(stoppedLine(received));
    },
  };
};

/** Resolves with the first SIGINT or SIGTERM; until then, neither ends the process. */
export const untilStopSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
