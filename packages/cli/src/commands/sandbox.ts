import { parseCommandArgs, stringOption } from '../args';
import { CliError, exitCodes, UsageError } from '../errors';
import { formatTable, type Output } from '../output';
import { formatInboxEntry, magicNumbers, sandboxCredentials, startSandbox, type Sandbox } from '../sandbox';
import { defaultSandboxPort, sandboxProviderNames } from '../sandboxing';
import type { Command } from './command';

const help = `Usage: sms-connector sandbox [--port N]

Starts a local SMS provider sandbox on 127.0.0.1: Twilio, Aliyun, Tencent Cloud, an HTTP-SMS
receiver, SMSAero, GatewayAPI and Vonage, each checking credentials and signatures like the real
provider and answering in its real shapes. Prints the endpoint and the credentials to put in a
connector config, the magic numbers that trigger failures, and every accepted message as it arrives
(also served as JSON at GET /inbox; DELETE /inbox clears it). Ctrl-C stops it.

Options:
      --port <N>   port to listen on (default ${defaultSandboxPort}; 0 for any free port)
      --verbose    stack traces of unexpected errors
  -h, --help       this help

Example:
  sms-connector sandbox --port 4010
  # then, in another terminal, with "endpoint" set to the printed twilio endpoint:
  sms-connector send -c twilio --config twilio.json --to "+1 650 253 0000"`;

const parsePort = (value: string | undefined): number | undefined => {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new UsageError(`--port "${value}" is not a port number (0 to 65535)`);
  }
  return Number(value);
};

const start = async (port: number, explicit: boolean, out: Output, count: () => void): Promise<Sandbox> => {
  const options = {
    onMessage: (entry: Parameters<typeof formatInboxEntry>[0]) => {
      count();
      out.print(`${out.style.cyan('inbox')} ${formatInboxEntry(entry).split('\n').join('\n      ')}`);
    },
    log: (line: string) => {
      out.print(out.style.dim(line));
    },
  };
  try {
    return await startSandbox({ ...options, port });
  } catch (error: unknown) {
    // The sandbox rewords EADDRINUSE ("Port N on 127.0.0.1 is already in use"); accept either form.
    const code =
      (error as { code?: string }).code ??
      (error instanceof Error && /already in use/i.test(error.message) ? 'EADDRINUSE' : undefined);
    if (code === 'EADDRINUSE' && !explicit) {
      out.warn(`port ${port} is in use: listening on a free port instead`);
      return startSandbox({ ...options, port: 0 });
    }
    if (code === 'EADDRINUSE') {
      throw new CliError(`port ${port} is already in use`, exitCodes.failure, 'choose another with --port, or --port 0 for any free port');
    }
    if (code === 'EACCES') {
      throw new CliError(`not allowed to listen on port ${port}`, exitCodes.failure, 'use a port above 1023');
    }
    throw error;
  }
};

/** `Throttled: the provider's per-number rate limit (Twilio 20429, …)` → `Throttled: the provider's per-number rate limit` */
const shortDescription = (description: string) => description.replace(/\s*\(.*$/s, '');

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('sandbox', argv, { port: { type: 'string' } });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const requested = parsePort(stringOption(args, 'port'));
  let received = 0;
  const sandbox = await start(requested ?? defaultSandboxPort, requested !== undefined, out, () => {
    received += 1;
  });
  const { style } = out;

  out.print(`${style.green('✔ SMS sandbox')} listening on ${sandbox.url} · inbox: GET ${sandbox.url}/inbox`);
  out.print();
  out.print(style.bold('Point a connector config at it with this "endpoint" and these credentials:'));
  formatTable(
    sandboxProviderNames.map((provider) => [
      `  ${provider}`,
      sandbox.endpointFor(provider),
      Object.entries(sandboxCredentials[provider])
        .map(([key, value]) => `${key}=${value}`)
        .join(' '),
    ])
  ).forEach((line) => out.print(line));
  out.print();
  out.print(style.bold('Magic numbers (every provider answers with its own real error):'));
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
  formatTable(
    [...byOutcome].map(([outcome, { numbers, description, providers }]) => [
      `  ${numbers.join('  ')}`,
      outcome,
      `${description}${providers === 'all providers' ? '' : ` (${providers})`}`,
    ])
  ).forEach((line) => out.print(line));
  out.print();
  out.print(`Waiting for messages. ${style.dim('Ctrl-C to stop.')}`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  out.print(`Sandbox stopped (${received} message${received === 1 ? '' : 's'} received).`);
  return exitCodes.ok;
};

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'run the local provider sandbox and print every message it receives',
  help,
  run,
};
