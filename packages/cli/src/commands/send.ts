import { TemplateType } from '@logto/connector-kit';
import {
  formatInboxEntry,
  startSandbox,
  type InboxEntry,
  type Sandbox,
  type SandboxProvider,
} from '@sms-suite/sandbox';
import { consolePhone, consolePhoneInputPattern, parsePhone, phoneProblem } from '@sms-suite/sms-kit';

import { parseCommandArgs, requiredOption, stringOption, type ParsedArgs } from '../args';
import {
  checkConfig,
  countFindings,
  invalidConfigConsequence,
  printConfigCheck,
  printWarnings,
  unknownKeyFindings,
  type ConfigCheck,
} from '../config-check';
import { readJsonObject } from '../config-file';
import {
  describeConnector,
  isRouterConnector,
  loadConnector,
  loadWarnings,
  resolveConnector,
  type LoadedConnector,
} from '../connectors';
import {
  printOutcome,
  sendLikeConsole,
  templateTypeNames,
  type ConsoleSendInput,
  type SendOutcome,
} from '../console-send';
import { exitCodes, UsageError } from '../errors';
import type { Output } from '../output';
import {
  planSandboxCredentials,
  pointAtSandbox,
  pointRouterAtSandbox,
  sandboxProviderNames,
  sandboxProviderOf,
  type RoutedSandboxUse,
  type SandboxCredentialPlan,
} from '../sandboxing';
import { secretValuesOf } from '../secrets';
import { didYouMean } from '../suggest';
import type { Command } from './command';

const help = `Usage: sms-connector send --connector <name|path> --config <file.json> --to <phone> [options]

Sends one message exactly the way Logto's console "Send" button does: the connector is loaded from
its built lib/index.js, createConnector gets a getConfig that throws, and sendMessage receives the
unsaved config as its second argument, type Generic and code 000000 unless told otherwise.

Options:
  -c, --connector <name|path>  twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router,
                               or the directory of a connector package
      --config <file.json>     the connector config, as pasted into the console
      --to <phone>             the recipient as typed in the console, e.g. "+1 650 253 0000"
                               (normalised like the console: digits with the country code, no +)
      --type <usage type>      template type (default Generic): ${templateTypeNames.join(', ')}
      --code <code>            the verification code (default 000000, as in the console)
      --locale <tag>           payload.locale, e.g. fr-CA (the console sends none)
      --sandbox                start a local provider sandbox and send to it instead: the config's
                               endpoint and the credentials it holds are replaced by the
                               sandbox's; absent credentials are not filled in (the config must
                               pass "validate" as written); for the router, those of every
                               provider config under "providers"
      --verbose                stack traces and sandbox request logs
  -h, --help                   this help

The config is checked first exactly as "sms-connector validate" checks it: an invalid config is not
sent, and its problems are listed with their key paths and fixes.

Prints the message id, or the error code, the HTTP status Logto would answer and the toast an admin
would see. For the router, also every attempt on its own line: the provider (its name and "use"),
what became of the message there (delivered, not sent, refused, may have been delivered, not tried),
the code, the provider's code and HTTP status, and the time it took.
Exit code 0 when sent, 1 when not sent or the input is invalid, 2 for usage errors.

Examples:
  sms-connector send -c twilio --config twilio.json --to "+1 650 253 0000"
  sms-connector send -c aliyun --config examples/aliyun.json --to 8613800138000 --type SignIn --locale zh-CN --sandbox
  sms-connector send -c router --config examples/router.json --to "+86 138 0013 8000" --sandbox
  sms-connector send -c ./my-connector --config my.json --to 447700900123`;

const languageTag = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

const phoneLine = (to: string, typed: string): string => {
  const shown = to === typed ? to : `${to} (typed "${typed}")`;
  try {
    const phone = parsePhone(to);
    return `${shown} · +${phone.callingCode} ${phone.nationalNumber}${phone.country ? ` ${phone.country}` : ''}`;
  } catch {
    return shown;
  }
};

type SendOptions = {
  connectorSpec: string;
  configFile: string;
  /** The recipient as typed, trimmed. */
  typed: string;
  type: string;
  code: string;
  locale?: string;
  useSandbox: boolean;
};

/** The options, with every usage error (exit code 2) thrown before anything is loaded. */
const sendOptionsOf = (args: ParsedArgs): SendOptions => {
  const connectorSpec = requiredOption(args, 'send', 'connector', 'twilio');
  const configFile = requiredOption(args, 'send', 'config', 'twilio.json');
  const typed = requiredOption(args, 'send', 'to', '"+1 650 253 0000"').trim();
  const type = stringOption(args, 'type') ?? TemplateType.Generic;
  const code = stringOption(args, 'code') ?? '000000';
  const locale = stringOption(args, 'locale');

  if (!templateTypeNames.includes(type)) {
    throw new UsageError(
      `unknown --type "${type}"${didYouMean(type, templateTypeNames)}: use one of ${templateTypeNames.join(', ')}`
    );
  }
  if (code === '') {
    throw new UsageError('--code must not be empty');
  }
  if (locale !== undefined && !languageTag.test(locale)) {
    throw new UsageError(`--locale "${locale}" is not a language tag such as en, fr-CA or zh-CN`);
  }
  if (!consolePhoneInputPattern.test(typed)) {
    throw new UsageError(
      `--to "${typed}" is not accepted by the console: use digits with the country code, optionally with +, spaces, dashes and parentheses`
    );
  }
  return { connectorSpec, configFile, typed, type, code, locale, useSandbox: Boolean(args.values.sandbox) };
};

/** Why the console could not read a number, in the kit's words (`+999 is not a country calling code`). */
const unreadableNumberReason = (typed: string): string =>
  phoneProblem(typed) ??
  (typed.startsWith('+') ? 'check the country code and the number' : 'start it with + and the country code');

/**
 * The sandbox provider of a connector, and what the sandbox's credentials do with the config; for the
 * router, every provider config it nests is pointed at the sandbox provider its `use` names.
 */
type SandboxUse = { provider: SandboxProvider; plan: SandboxCredentialPlan } | { router: true };

const sandboxUseFor = (connector: LoadedConnector, fileConfig: Record<string, unknown>): SandboxUse => {
  if (isRouterConnector(connector)) {
    return { router: true };
  }
  const provider = sandboxProviderOf(connector);
  if (!provider) {
    throw new UsageError(
      `--sandbox: cannot tell which provider ${connector.packageName} talks to; the sandbox speaks ${sandboxProviderNames.join(', ')}`,
      'run "sms-connector sandbox" and point the config\'s endpoint at it instead'
    );
  }
  return { provider, plan: planSandboxCredentials(fileConfig, provider) };
};

/**
 * The config is checked exactly as `validate` checks it, as written (--sandbox fills in nothing): an
 * invalid config is listed problem by problem and never sent, as Logto would refuse it with
 * invalid_config.
 */
const refuseInvalidConfig = (out: Output, check: ConfigCheck): number => {
  const { style } = out;
  out.print(`${style.bold('config')}     invalid, as "sms-connector validate" reports it:`);
  printConfigCheck(out, check);
  out.print(`${style.red('✖ not sent')}: ${countFindings(check)} in the config. ${invalidConfigConsequence}`);
  return exitCodes.failure;
};

const sandboxLine = (endpoint: string, plan: SandboxCredentialPlan): string =>
  [endpoint, ...(plan.replaced.length > 0 ? [`using the sandbox's ${plan.replaced.join(', ')}`] : [])].join(' · ');

/** The router's `sandbox` lines: the sandbox, then each provider config and where it now points. */
const routerSandboxLines = (url: string, providers: readonly RoutedSandboxUse[]): string[] => [
  `${url} · every provider config under "providers" points at it:`,
  ...providers.map(
    ({ name, endpoint, replaced }) => `  providers.${name}.config → ${sandboxLine(endpoint, { replaced })}`
  ),
];

/** The config pointed at the sandbox, and the `sandbox` lines that say how. */
const pointedAtSandbox = (
  use: SandboxUse,
  fileConfig: Record<string, unknown>,
  sandbox: Sandbox
): { config: Record<string, unknown>; lines: string[] } => {
  if ('router' in use) {
    const routed = pointRouterAtSandbox(fileConfig, sandbox);
    return { config: routed.config, lines: routerSandboxLines(sandbox.url, routed.providers) };
  }
  const { config } = pointAtSandbox(fileConfig, use.provider, sandbox, use.plan);
  return { config, lines: [sandboxLine(sandbox.endpointFor(use.provider), use.plan)] };
};

const sendThroughSandbox = async (
  out: Output,
  connector: LoadedConnector,
  use: SandboxUse,
  fileConfig: Record<string, unknown>,
  input: ConsoleSendInput
): Promise<SendOutcome> => {
  const received: InboxEntry[] = [];
  const sandbox = await startSandbox({
    onMessage: (entry) => received.push(entry),
    log: (line) => out.debug(`sandbox: ${line}`),
  });
  try {
    const { config, lines } = pointedAtSandbox(use, fileConfig, sandbox);
    out.addSecrets(secretValuesOf(config, connector.metadata));
    lines.forEach((line, index) => out.print(`${index === 0 ? out.style.bold('sandbox') : '       '}    ${line}`));
    const outcome = await sendLikeConsole(connector, config, input);
    for (const entry of received) {
      out.print(`${out.style.cyan('inbox')}      ${formatInboxEntry(entry).split('\n').join('\n           ')}`);
    }
    return outcome;
  } finally {
    await sandbox.close();
  }
};

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('send', argv, {
    connector: { type: 'string', short: 'c' },
    config: { type: 'string' },
    to: { type: 'string' },
    type: { type: 'string' },
    code: { type: 'string' },
    locale: { type: 'string' },
    sandbox: { type: 'boolean' },
  });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const { connectorSpec, configFile, typed, type, code, locale, useSandbox } = sendOptionsOf(args);

  const connector = await loadConnector(resolveConnector(connectorSpec));
  loadWarnings(connector).forEach((warning) => out.warn(warning));
  const { value: fileConfig } = readJsonObject(configFile);
  out.addSecrets(secretValuesOf(fileConfig, connector.metadata));
  const sandboxUse = useSandbox ? sandboxUseFor(connector, fileConfig) : undefined;

  const to = consolePhone(typed);
  out.print(`${out.style.bold('connector')}  ${describeConnector(connector)}`);
  out.print(`${out.style.bold('to')}         ${phoneLine(to, typed)}`);
  out.print(
    `${out.style.bold('message')}    type ${type} · code ${code} · ${locale ? `locale ${locale}` : 'no locale'}`
  );

  // The test route's guard: `phone` must be digits; a number libphonenumber could not parse stays as typed.
  if (!/^\d+$/.test(to)) {
    out.print(
      `${out.style.red('✖ not sent')}: Logto answers HTTP 400 before calling the connector: the console could not read "${typed}" as an international number: ${unreadableNumberReason(typed)}`
    );
    return exitCodes.failure;
  }

  const check = checkConfig(connector, fileConfig);
  if (!check.valid) {
    return refuseInvalidConfig(out, check);
  }
  // What a valid config still loses: values under keys the connector does not know are ignored.
  printWarnings(out, unknownKeyFindings(connector, fileConfig));

  const input: ConsoleSendInput = { to, type, code, locale };
  const outcome = sandboxUse
    ? await sendThroughSandbox(out, connector, sandboxUse, fileConfig, input)
    : await sendLikeConsole(connector, fileConfig, input);
  printOutcome(out, outcome);
  return outcome.ok ? exitCodes.ok : exitCodes.failure;
};

export const sendCommand: Command = {
  name: 'send',
  summary: "send one message the way the console's Send button does",
  help,
  run,
};
