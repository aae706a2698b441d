import {
  defaultSandboxPort,
  isPortNumber,
  outageModeLines,
  parseOutages,
  portProblem,
  sandboxProviders,
  startSandboxConsole,
  untilStopSignal,
  type Outages,
  type SandboxConsole,
} from '@sms-suite/sandbox';

import { parseCommandArgs, stringListOption, stringOption } from '../args';
import { CliError, exitCodes, UsageError } from '../errors';
import type { Output } from '../output';
import type { Command } from './command';

const help = `Usage: sms-connector sandbox [--port N] [--outage provider=mode]...

Starts a local SMS provider sandbox on 127.0.0.1: Twilio, Aliyun, Tencent Cloud, an HTTP-SMS
receiver, SMSAero, GatewayAPI and Vonage, each checking credentials and signatures like the real
provider and answering in its real shapes. Prints the endpoint and the credentials to put in a
connector config, the magic numbers that trigger failures, the outages, and every accepted message
as it arrives (also served as JSON at GET /inbox; DELETE /inbox clears it). Ctrl-C stops it.

Options:
      --port <N>                port to listen on (default ${defaultSandboxPort}; 0 for any free port)
      --outage <provider=mode>  one provider fails every request, the others work (repeatable);
                                PUT /outages/<provider> {"mode": "…"} and DELETE /outages/<provider>
                                change outages while it runs; GET /requests counts the requests
      --verbose                 stack traces of unexpected errors
  -h, --help                    this help

Providers: ${sandboxProviders.join(', ')}
Outage modes:
${outageModeLines().join('\n')}

Examples:
  sms-connector sandbox --port 4010
  # then, in another terminal, with "endpoint" set to the printed twilio endpoint:
  sms-connector send -c twilio --config twilio.json --to "+1 650 253 0000"

  # Twilio down, Aliyun throttling, the others working: a failover connector should move on.
  sms-connector sandbox --outage twilio=unavailable --outage aliyun=rate-limited`;

const parsePort = (value: string | undefined): number | undefined => {
  if (value === undefined) {
    return undefined;
  }
  if (!isPortNumber(value)) {
    throw new UsageError(`--port "${value}" is not a port number (0 to 65535)`);
  }
  return Number(value);
};

/** `--outage twilio=unavailable`, repeated: one mode per provider. */
const requestedOutages = (values: readonly string[]): Outages => {
  const parsed = parseOutages(values);
  if (!parsed.ok) {
    throw new UsageError(
      `--outage ${parsed.problem}`,
      'run "sms-connector sandbox --help" for the providers and the outage modes'
    );
  }
  return parsed.outages;
};

/** The sandbox package prints everything (as `sms-sandbox` does); a port it cannot use becomes a CliError. */
const start = async (port: number, portIsDefault: boolean, outages: Outages, out: Output): Promise<SandboxConsole> => {
  try {
    return await startSandboxConsole({
      port,
      portIsDefault,
      outages,
      print: (line) => {
        out.print(line);
      },
      warn: (text) => {
        out.warn(text);
      },
      style: out.style,
    });
  } catch (error: unknown) {
    const problem = portProblem(error, port);
    if (problem) {
      throw new CliError(problem.message, exitCodes.failure, problem.hint);
    }
    throw error;
  }
};

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('sandbox', argv, {
    port: { type: 'string' },
    outage: { type: 'string', multiple: true },
  });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const requested = parsePort(stringOption(args, 'port'));
  const outages = requestedOutages(stringListOption(args, 'outage'));
  const session = await start(requested ?? defaultSandboxPort, requested === undefined, outages, out);
  await untilStopSignal();
  await session.stop();
  return exitCodes.ok;
};

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'run the local provider sandbox and print every message it receives',
  help,
  run,
};
