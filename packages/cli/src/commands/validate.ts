import { parseCommandArgs, requiredOption } from '../args';
import { checkConfig, countFindings, invalidConfigConsequence, plural, printConfigCheck } from '../config-check';
import { readJsonObject } from '../config-file';
import { describeConnector, loadConnector, loadWarnings, resolveConnector } from '../connectors';
import { describePolicy } from '../destination-policy';
import { exitCodes } from '../errors';
import type { Output } from '../output';
import { secretValuesOf } from '../secrets';
import type { Command } from './command';

const help = `Usage: sms-connector validate --connector <name|path> --config <file.json>

Checks a config with the connector's own configGuard (from its built lib/index.js), without sending
anything. Every problem is printed on its own line with its key path and a fix; warnings point at
what validates but will bite later: a usage type with no template and no Generic fallback,
templates that exist only for some locales, usage types Logto never sends (typos), duplicates,
placeholders left from the documentation, configs that stop validating once Logto saves them, and
a connector without sendLimits (nothing but Logto's own cap stops SMS pumping). When the config sets
a destination policy (allowedCountries, blockedCountries, sendLimits, redisUrl, ...), what it does
is printed in words after the validity line.

For the router, each provider config under "providers" is checked by that provider's own rules and
linted like a single connector's config, every finding with its full key path
(providers.twilio.config.authToken); the routes are checked too (a provider named but not defined,
a country routed twice, "*" not last), with warnings for a config without a "*" route and for a
provider in no route. Its destination policy sits at its top level, as for a single connector.

Options:
  -c, --connector <name|path>  twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router,
                               or the directory of a connector package
      --config <file.json>     the connector config
      --verbose                stack traces of unexpected errors
  -h, --help                   this help

Exit code 0 when the config is valid (warnings included), 1 when it is invalid, 2 for usage errors.

Examples:
  sms-connector validate -c tencent --config tencent.json
  sms-connector validate -c router --config examples/router.json`;

const run = async (argv: string[], out: Output): Promise<number> => {
  const args = parseCommandArgs('validate', argv, {
    connector: { type: 'string', short: 'c' },
    config: { type: 'string' },
  });
  if (args.values.help) {
    out.print(help);
    return exitCodes.ok;
  }
  const connectorSpec = requiredOption(args, 'validate', 'connector', 'twilio');
  const configFile = requiredOption(args, 'validate', 'config', 'twilio.json');

  const connector = await loadConnector(resolveConnector(connectorSpec));
  loadWarnings(connector).forEach((warning) => out.warn(warning));
  const { value: config } = readJsonObject(configFile);
  out.addSecrets(secretValuesOf(config, connector.metadata));
  const { style } = out;

  out.print(`Validating ${configFile} for ${describeConnector(connector)}`);
  const check = checkConfig(connector, config);
  printConfigCheck(out, check);

  if (!check.valid) {
    out.print(`${style.red('✖ invalid')}: ${countFindings(check)}. ${invalidConfigConsequence}`);
    return exitCodes.failure;
  }
  const { warnings } = check;
  out.print(`${style.green('✔ valid')}${warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : ''}`);
  // What the countries and send limits will do, in words (nothing when the config sets none).
  describePolicy(check.parsed).forEach((line, index) => out.print(index === 0 ? style.bold(line) : line));
  return exitCodes.ok;
};

export const validateCommand: Command = {
  name: 'validate',
  summary: "check a config with the connector's own guard, without sending",
  help,
  run,
};
