/**
 * `sms-sandbox [--port N] [--outage provider=mode]...`: the sandbox on its own, for whoever wants it
 * without the CLI. It prints what `sms-connector sandbox` prints (both go through
 * startSandboxConsole) and stops on SIGINT or SIGTERM. Exit codes as the CLI's: 0 stopped, 1 could
 * not start, 2 usage error.
 */
import { parseArgs } from 'node:util';

import {
  defaultSandboxPort,
  isPortNumber,
  outageModeLines,
  portProblem,
  startSandboxConsole,
  untilStopSignal,
  type SandboxConsole,
} from './console';
import { parseOutages, type Outages } from './outages';
import { sandboxProviders } from './types';

const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

const help = `Usage: sms-sandbox [--port N] [--outage provider=mode]...

Starts the local SMS provider sandbox on 127.0.0.1: Twilio, Aliyun, Tencent Cloud, an HTTP-SMS
receiver, SMSAero, GatewayAPI and Vonage, each checking credentials and signatures like the real
provider and answering in its real shapes. Prints the endpoint and the credentials to put in a
connector config, the magic numbers that trigger failures, the outages, and every accepted message
as it arrives (also served as JSON at GET /inbox; DELETE /inbox clears it). Ctrl-C or SIGTERM
stops it.

Options:
      --port <N>                port to listen on (default ${defaultSandboxPort}, or a free one when it is taken; 0 for any free port)
      --outage <provider=mode>  one provider fails every request, the others work (repeatable);
                                PUT /outages/<provider> {"mode": "…"} and DELETE /outages/<provider>
                                change outages while it runs; GET /requests counts the requests
  -h, --help                    this help

Providers: ${sandboxProviders.join(', ')}
Outage modes:
${outageModeLines().join('\n')}`;

/** A mistake on the command line: reported with the usage hint and exit code 2. */
class UsageError extends Error {}

const printLine = (line: string) => {
  process.stdout.write(`${line}\n`);
};

const warnLine = (text: string) => {
  process.stderr.write(`warning: ${text}\n`);
};

const printError = (message: string, hint?: string) => {
  process.stderr.write(`error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
};

type Arguments = { help: boolean; port: string | undefined; outages: string[] };

const readArguments = (argv: string[]): Arguments => {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        outage: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    return { help: values.help ?? false, port: values.port, outages: values.outage ?? [] };
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

const requestedPort = (value: string | undefined): number | undefined => {
  if (value === undefined) {
    return undefined;
  }
  if (!isPortNumber(value)) {
    throw new UsageError(`--port "${value}" is not a port number (0 to 65535)`);
  }
  return Number(value);
};

/** `--outage twilio=unavailable`, repeated, as `sms-connector sandbox` reads it. */
const requestedOutages = (values: readonly string[]): Outages => {
  const parsed = parseOutages(values);
  if (!parsed.ok) {
    throw new UsageError(`--outage ${parsed.problem}`);
  }
  return parsed.outages;
};

/** Runs the sandbox until SIGINT or SIGTERM; a port it cannot listen on is a one-line error. */
const serve = async (port: number, portIsDefault: boolean, outages: Outages): Promise<number> => {
  let session: SandboxConsole;
  try {
    session = await startSandboxConsole({ port, portIsDefault, outages, print: printLine, warn: warnLine });
  } catch (error: unknown) {
    const problem = portProblem(error, port);
    if (!problem) {
      throw error;
    }
    printError(problem.message, problem.hint);
    return exitCodes.failure;
  }
  await untilStopSignal();
  await session.stop();
  return exitCodes.ok;
};

const main = async (argv: string[]): Promise<number> => {
  const args = readArguments(argv);
  if (args.help) {
    printLine(help);
    return exitCodes.ok;
  }
  const port = requestedPort(args.port);
  return serve(port ?? defaultSandboxPort, port === undefined, requestedOutages(args.outages));
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      printError(error.message, 'run "sms-sandbox --help" for the options');
      process.exitCode = exitCodes.usage;
      return;
    }
    printError(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exitCode = exitCodes.failure;
  }
);
