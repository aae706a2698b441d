import { TemplateType } from '@logto/connector-kit';
import { consolePhone, consolePhoneInputPattern, parsePhone } from '@sms-suite/sms-kit';

import { parseCommandArgs, requiredOption, stringOption } from '../args';
import { readJsonObject } from '../config-file';
import { describeConnector, loadConnector, loadWarnings, resolveConnector } from '../connectors';
import { printOutcome, sendLikeConsole, templateTypeNames } from '../console-send';
import { exitCodes, UsageError } from '../errors';
import type { Output } from '../output';
import { formatInboxEntry, startSandbox, type InboxEntry } from '../sandbox';
import { pointAtSandbox, sandboxProviderNames, sandboxProviderOf } from '../sandboxing';
import { secretValuesOf } from '../secrets';
import { didYouMean } from '../suggest';
import type { Command } from './command';

const help = `Usage: sms-connector send --connector <name|path> --config <file.json> --to <phone> [options]

Sends one message exactly the way Logto's console "Send" button does: the connector is loaded from
its built lib/index.js, createConnector gets a getConfig that throws, and sendMessage receives the
unsaved config as its second argument, type Generic and code 000000 unless told otherwise.

Options:
  -c, --connector <name|path>  twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage,
                               or the directory of a connector package
      --config <file.json>     the connector config, as pasted into the console
      --to <phone>             the recipient as typed in the console, e.g. "+1 650 253 0000"
                               (normalised like the console: digits with the country code, no +)
      --type <usage type>      template type (default Generic): ${templateTypeNames.join(', ')}
      --code <code>            the verification code (default 000000, as in the console)
      --locale <tag>           payload.locale, e.g. fr-CA (the console sends none)
      --sandbox                start a local provider sandbox and send to it instead: the config's
                               endpoint and credentials are replaced by the sandbox's
      --verbose                stack traces and sandbox request logs
  -h, --help                   this help

Prints the message id, or the error code, the HTTP status Logto would answer and the toast an admin
would see. Exit code 0 when sent, 1 when not sent or the input is invalid, 2 for usage errors.

Examples:
  sms-connector send -c twilio --config twilio.json --to "+1 650 253 0000"
  sms-connector send -c aliyun --config examples/aliyun.json --to 8613800138000 --type SignIn --locale zh-CN --sandbox
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
  const connectorSpec = requiredOption(args, 'send', 'connector', 'twilio');
  const configFile = requiredOption(args, 'send', 'config', 'twilio.json');
  const typed = requiredOption(args, 'send', 'to', '"+1 650 253 0000"').trim();
  const type = stringOption(args, 'type') ?? TemplateType.Generic;
  const code = stringOption(args, 'code') ?? '000000';
  const locale = stringOption(args, 'locale');
  const useSandbox = Boolean(args.values.sandbox);

  if (!templateTypeNames.includes(type)) {
    throw new UsageError(`unknown --type "${type}"${didYouMean(type, templateTypeNames)}: use one of ${templateTypeNames.join(', ')}`);
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

  const ref = resolveConnector(connectorSpec);
  const connector = await loadConnector(ref);
  loadWarnings(connector).forEach((warning) => out.warn(warning));
  const { value: fileConfig } = readJsonObject(configFile);
  out.addSecrets(secretValuesOf(fileConfig, connector.metadata));

  const to = consolePhone(typed);
  out.print(`${out.style.bold('connector')}  ${describeConnector(connector)}`);
  out.print(`${out.style.bold('to')}         ${phoneLine(to, typed)}`);
  out.print(`${out.style.bold('message')}    type ${type} · code ${code} · ${locale ? `locale ${locale}` : 'no locale'}`);

  // The test route's guard: `phone` must be digits; a number libphonenumber could not parse stays as typed.
  if (!/^\d+$/.test(to)) {
    out.print(`${out.style.red('✖ not sent')}: Logto answers HTTP 400 before calling the connector: the console could not read "${typed}" as an international number (start it with + and the country code)`);
    return exitCodes.failure;
  }

  if (!useSandbox) {
    const outcome = await sendLikeConsole(connector, fileConfig, { to, type, code, locale });
    printOutcome(out, outcome);
    return outcome.ok ? exitCodes.ok : exitCodes.failure;
  }

  const provider = sandboxProviderOf(connector);
  if (!provider) {
    throw new UsageError(
      `--sandbox: cannot tell which provider ${connector.packageName} talks to; the sandbox speaks ${sandboxProviderNames.join(', ')}`,
      'run "sms-connector sandbox" and point the config\'s endpoint at it instead'
    );
  }
  const received: InboxEntry[] = [];
  const sandbox = await startSandbox({
    onMessage: (entry) => received.push(entry),
    log: (line) => out.debug(`sandbox: ${line}`),
  });
  try {
    const { config, replaced } = pointAtSandbox(fileConfig, provider, sandbox);
    out.addSecrets(secretValuesOf(config, connector.metadata));
    out.print(
      `${out.style.bold('sandbox')}    ${sandbox.endpointFor(provider)}${replaced.length > 0 ? ` · using the sandbox's ${replaced.join(', ')}` : ''}`
    );
    const outcome = await sendLikeConsole(connector, config, { to, type, code, locale });
    for (const entry of received) {
      out.print(`${out.style.cyan('inbox')}      ${formatInboxEntry(entry).split('\n').join('\n           ')}`);
    }
    printOutcome(out, outcome);
    return outcome.ok ? exitCodes.ok : exitCodes.failure;
  } finally {
    await sandbox.close();
  }
};

export const sendCommand: Command = {
  name: 'send',
  summary: "send one message the way the console's Send button does",
  help,
  run,
};
