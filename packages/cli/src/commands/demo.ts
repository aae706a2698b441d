import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { TemplateType } from '@logto/connector-kit';
import { isProviderName, type ProviderName } from '@sms-suite/catalog';
import { formatInboxEntry, startSandbox, type InboxEntry } from '@sms-suite/sandbox';

import { parseCommandArgs } from '../args';
import { readJsonObject } from '../config-file';
import {
  buildCommand,
  connectorNames,
  isConnectorName,
  loadConnector,
  loadWarnings,
  repoConnectors,
  repoRoot,
  routerName,
  type LoadedConnector,
} from '../connectors';
import { printOutcome, sendLikeConsole, type ConsoleSendInput, type SendOutcome } from '../console-send';
import { CliError, exitCodes, UsageError } from '../errors';
import { formatTable, type Output } from '../output';
import { pointAtSandbox, sandboxProviderNames } from '../sandboxing';
import { secretValuesOf } from '../secrets';
import { didYouMean } from '../suggest';
import type { Command } from './command';
import { runPumpingBurst } from './demo-burst';
import { runRouterDemo, stopTimeoutMs, type RouterRow } from './demo-router';

export const examplesDir = path.join(repoRoot, 'packages/cli/examples');

/** A recipient per provider connector, where each provider is at home (none of them is a magic number). */
export const demoRecipients: Record<ProviderName, string> = {
  twilio: '+1 650 253 0000',
  aliyun: '+86 138 0013 8000',
  tencent: '+86 139 1234 5678',
  http: '+33 6 12 34 56 78',
  smsaero: '+7 912 345-67-89',
  gatewayapi: '+45 20 12 34 56',
  vonage: '+44 7700 900123',
};

const help = `Usage: sms-connector demo [connectors...]

Starts the local provider sandbox and sends, through every provider connector of this repository
(or the ones named), the console's test message (type Generic, code 000000, no locale) and a
sign-in code in fr-CA, with the example config packages/cli/examples/<connector>.json pointed at the
sandbox. Prints each message as the sandbox received it and a summary table. No network, no
credentials.

Then, when the router is among them, the console's test message through the router, with
packages/cli/examples/router.json (every provider config in it pointed at the sandbox): a route (a
+86 number goes to aliyun-cn, a +1 number to twilio), a failover (twilio answers HTTP 503 in the
sandbox, so it certainly did not send, and vonage delivers the message) and a stop (twilio does not
answer within its timeout, shortened to ${stopTimeoutMs} ms, so it may have sent the message, and vonage is
NOT tried: one message at most). Each send prints every attempt of the router.

Last, when twilio is among them, a pumping burst: sign-in codes sent the way a real sign-in sends
them (config from getConfig, the visitor's ip) to consecutive numbers of one range, first from one
IP, then from ten, through a config with sendLimits (3 per IP per hour, 5 per 7-digit number range
per hour). It prints which were delivered and which the limits refused (HTTP 429, with the limit's
description), before any request reached the provider.

Arguments:
  connectors      ${connectorNames.join(', ')}
                  (default: all built connectors)

Options:
  --verbose       stack traces and the sandbox's request log
  -h, --help      this help

Exit code 0 when every message arrived, the router routed, failed over and stopped as designed, and
the burst was stopped by its limits; 1 otherwise.`;

type Row = {
  connector: string;
  type: string;
  locale: string;
  outcome: string;
  messageId: string;
  ms: string;
  ok: boolean;
};

const digitsOf = (phone: string) => phone.replace(/\D/g, '');

/** The connector the pumping burst goes through, when it is demonstrated. */
const burstConnector: ProviderName = 'twilio';

/** The sandbox got the message, and it carries the code (as text or as a template parameter). */
const deliveredWithCode = (entries: readonly InboxEntry[], code: string) =>
  entries.some((entry) => JSON.stringify([entry.text ?? '', entry.templateParams ?? null]).includes(code));

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('demo', argv, {}, { positionals: true });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  for (const name of args.positionals) {
    if (!isConnectorName(name)) {
      throw new UsageError(
        `unknown connector "${name}"${didYouMean(name, connectorNames)}: use one of ${connectorNames.join(', ')}`
      );
    }
  }
  const present = repoConnectors().filter(
    ({ name }) => args.positionals.length === 0 || args.positionals.includes(name)
  );
  const missing = args.positionals.filter((name) => !present.some((connector) => connector.name === name));
  if (missing.length > 0) {
    throw new CliError(`not in this checkout: ${missing.map((name) => `packages/connector-${name}-sms`).join(', ')}`);
  }
  if (present.length === 0 || present.every(({ built }) => !built)) {
    throw new CliError('no built connector to demonstrate', exitCodes.failure, `run the build first: ${buildCommand}`);
  }

  const { style } = out;
  let received: InboxEntry[] = [];
  /** The burst prints one line per send instead of the inbox entries. */
  let quietInbox = false;
  const sandbox = await startSandbox({
    onMessage: (entry) => {
      received.push(entry);
      if (!quietInbox) {
        out.print(`  ${style.cyan('inbox')}  ${formatInboxEntry(entry).split('\n').join('\n         ')}`);
      }
    },
    log: (line) => out.debug(`  sandbox: ${line}`),
  });
  const rows: Row[] = [];
  const routerRows: RouterRow[] = [];
  let burst: { connector: LoadedConnector; config: Record<string, unknown> } | undefined;
  let burstStopped = true;
  try {
    out.print(`${style.green('✔ sandbox')} listening on ${sandbox.url}`);
    out.print(
      `Sending through ${present.length} connector${present.length === 1 ? '' : 's'}: ${present.map(({ name }) => name).join(', ')}`
    );

    for (const { name, dir, built } of present) {
      const fail = (type: string, locale: string, outcome: string) =>
        rows.push({ connector: name, type, locale, outcome, messageId: '', ms: '', ok: false });
      out.print();
      if (!built) {
        out.print(`${style.bold(name)}  ${style.red('✖')} not built: run ${buildCommand}`);
        fail('-', '-', 'not built');
        continue;
      }
      const exampleFile = path.join(examplesDir, `${name}.json`);
      if (!existsSync(exampleFile)) {
        out.print(
          `${style.bold(name)}  ${style.red('✖')} no example config at ${path.relative(process.cwd(), exampleFile)}`
        );
        fail('-', '-', 'no example config');
        continue;
      }
      if (name === routerName) {
        const connector = await loadConnector({ dir, name, label: name });
        loadWarnings(connector).forEach((warning) => out.warn(`${name}: ${warning}`));
        const example = readJsonObject(exampleFile, 'example config').value;
        out.addSecrets(secretValuesOf(example, connector.metadata));
        routerRows.push(
          ...(await runRouterDemo({ out, connector, example, sandbox, takeInbox: () => received.splice(0) }))
        );
        continue;
      }
      if (!isProviderName(name) || !(sandboxProviderNames as readonly string[]).includes(name)) {
        out.print(`${style.bold(name)}  ${style.red('✖')} the sandbox does not speak ${name} yet`);
        fail('-', '-', 'no sandbox provider');
        continue;
      }
      const connector = await loadConnector({ dir, name, label: name });
      loadWarnings(connector).forEach((warning) => out.warn(`${name}: ${warning}`));
      const provider = name as (typeof sandboxProviderNames)[number];
      const { config } = pointAtSandbox(readJsonObject(exampleFile, 'example config').value, provider, sandbox);
      out.addSecrets(secretValuesOf(config, connector.metadata));
      if (name === burstConnector) {
        burst = { connector, config };
      }

      const to = digitsOf(demoRecipients[name]);
      const sends: ConsoleSendInput[] = [
        { to, type: TemplateType.Generic, code: '000000' },
        { to, type: TemplateType.SignIn, code: String(randomInt(0, 1_000_000)).padStart(6, '0'), locale: 'fr-CA' },
      ];
      for (const input of sends) {
        const locale = input.locale ?? '-';
        out.print(
          `${style.bold(name)}  ${input.type} · code ${input.code} · ${input.locale ? `locale ${input.locale}` : 'no locale'} → ${demoRecipients[name]}`
        );
        received = [];
        const outcome: SendOutcome = await sendLikeConsole(connector, config, input);
        printOutcome(out, outcome, '  ');
        if (outcome.ok && !deliveredWithCode(received, input.code)) {
          out.print(
            `  ${style.red('✖')} the connector reported success, but no message with code ${input.code} reached the sandbox`
          );
        }
        const ok = outcome.ok && deliveredWithCode(received, input.code);
        rows.push({
          connector: name,
          type: input.type,
          locale,
          outcome: outcome.ok ? (ok ? 'sent' : 'not delivered') : outcome.response.code.replace(/^connector\./, ''),
          messageId: outcome.ok ? (outcome.messageId ?? '-') : `HTTP ${outcome.response.status}`,
          ms: String(outcome.ms),
          ok,
        });
      }
    }

    if (burst) {
      out.print();
      quietInbox = true;
      burstStopped = await runPumpingBurst(out, burst.connector, burst.config, () => received.splice(0));
    }
  } finally {
    await sandbox.close();
  }

  out.print();
  out.print(style.bold('Summary'));
  // The router's sends are Generic, without a locale, like the console's test message.
  const routerTableRows: Row[] = routerRows.map((row) => ({
    connector: routerName,
    type: 'Generic',
    locale: '-',
    ...row,
  }));
  formatTable([
    ['connector', 'type', 'locale', 'outcome', 'message id', 'ms'].map((title) => style.bold(title)),
    ...[...rows, ...routerTableRows].map((row) => [
      row.connector,
      row.type,
      row.locale,
      row.ok ? style.green(row.outcome) : style.red(row.outcome),
      row.messageId,
      row.ms,
    ]),
  ]).forEach((line) => out.print(`  ${line}`));
  // Messages that should arrive, and the router's stop, which must not deliver anything.
  const deliveries = [...rows, ...routerRows.filter(({ kind }) => kind === 'delivered')];
  const stops = routerRows.filter(({ kind }) => kind === 'stopped');
  const delivered = deliveries.filter(({ ok }) => ok).length;
  out.print();
  const allDelivered = delivered === deliveries.length;
  const allStopped = stops.every(({ ok }) => ok);
  if (stops.length > 0) {
    out.print(
      allStopped
        ? `${style.green('✔')} the router stopped where a provider may have delivered the message, and tried no other provider.`
        : `${style.red('✖')} the router did not stop where a provider may have delivered the message; see above.`
    );
  }
  if (allDelivered) {
    out.print(
      `${style.green('✔')} ${delivered} of ${deliveries.length} messages delivered to the sandbox, through ${present.length} connector${present.length === 1 ? '' : 's'}.`
    );
  } else {
    out.print(`${style.red('✖')} ${delivered} of ${deliveries.length} messages delivered; see above for the others.`);
  }
  if (!burstStopped) {
    out.print(`${style.red('✖')} the pumping burst was not stopped by its sendLimits as expected; see above.`);
  }
  return allDelivered && allStopped && burstStopped ? exitCodes.ok : exitCodes.failure;
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'send test messages through every connector to the local sandbox',
  help,
  run,
};
