import { TemplateType } from '@logto/connector-kit';
import type { InboxEntry, OutageMode, Sandbox, SandboxProvider } from '@sms-suite/sandbox';
import { countryName, parsePhone } from '@sms-suite/sms-kit';

import type { LoadedConnector } from '../connectors';
import {
  attemptOutcomeWords,
  attemptsOf,
  printOutcome,
  sendLikeConsole,
  type ConsoleSendInput,
  type SendOutcome,
} from '../console-send';
import type { Output } from '../output';
import { pointRouterAtSandbox } from '../sandboxing';
import { secretValuesOf } from '../secrets';

/**
 * The demo's router part: the example router config (packages/cli/examples/router.json) pointed at
 * the sandbox, sent through like the console's Send button, four times:
 *
 * - a route: a mainland number goes to the first provider of the CN route, a US number to the first
 *   provider of the "*" route;
 * - a failover: that provider answers HTTP 503 (a sandbox outage), so it certainly did not send, and
 *   the next provider of the route delivers the message;
 * - a stop: that provider does not answer at all (held until its timeout), so it may have sent the
 *   message, and the next provider is NOT tried: at most one message, "may have been delivered".
 *
 * Every expectation is read from the config's routes, and checked against what the sandbox received
 * and the requests each provider got.
 */

/** The first provider's timeout in the stop: short, so that the demo does not wait its default 10 s. */
export const stopTimeoutMs = 1500;

export const routerRecipients = { china: '+86 138 0013 8000', world: '+1 650 253 0000' } as const;

/** One line of the demo's summary table. */
export type RouterRow = {
  outcome: string;
  messageId: string;
  ms: string;
  /** As designed: delivered by the provider expected, or stopped where it had to stop. */
  ok: boolean;
  /** A delivery (counted among the messages delivered), or the stop (said in a line of its own). */
  kind: 'delivered' | 'stopped';
};

type Entry = { name: string; use: string };
type Route = { countries: string[]; providers: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** The route of a country in the config as written (the router's own rule: first route naming it, else "*"). */
const routeOf = (config: Record<string, unknown>, country: string): Entry[] => {
  const routes = (Array.isArray(config.routes) ? config.routes : []) as Route[];
  const route =
    routes.find(({ countries }) => Array.isArray(countries) && countries.includes(country)) ??
    routes.find(({ countries }) => Array.isArray(countries) && countries.includes('*'));
  const providers = isRecord(config.providers) ? config.providers : {};
  return (route?.providers ?? []).map((name) => {
    const entry = providers[name];
    return { name, use: isRecord(entry) && typeof entry.use === 'string' ? entry.use : '?' };
  });
};

const countryOf = (typed: string) => parsePhone(typed.replace(/\D/g, '')).country ?? '';

const digitsOf = (phone: string) => phone.replace(/\D/g, '');

/** The message carries the code, as text or as a template parameter (never matched in ids or senders). */
export const carriesCode = (entry: InboxEntry, code: string) =>
  JSON.stringify([entry.text ?? '', entry.templateParams ?? null]).includes(code);

const label = ({ name, use }: Entry) => (name === use ? name : `${name} (${use})`);

/** `aliyun-cn (aliyun), then twilio` */
const routeWords = (route: readonly Entry[]) => route.map(label).join(', then ');

/** The config with the nested config of every provider named `name` holding another `timeout`. */
const withTimeout = (config: Record<string, unknown>, name: string, timeout: number): Record<string, unknown> => {
  const providers = isRecord(config.providers) ? config.providers : {};
  const entry = providers[name];
  if (!isRecord(entry) || !isRecord(entry.config)) {
    return config;
  }
  return { ...config, providers: { ...providers, [name]: { ...entry, config: { ...entry.config, timeout } } } };
};

type Scenario = {
  title: string;
  to: string;
  code: string;
  /** The outage the first provider of the route is in during the send. */
  outage?: { provider: string; mode: OutageMode; says: string };
  /** The provider expected to deliver, or undefined: the send must stop at the first. */
  expectedBy?: Entry;
  route: Entry[];
};

export type RouterDemo = {
  out: Output;
  connector: LoadedConnector;
  /** The example config as written (endpoints at the sandbox's default port). */
  example: Record<string, unknown>;
  sandbox: Sandbox;
  /** What the sandbox received since the last call. */
  takeInbox: () => InboxEntry[];
};

const requestsLine = (counts: Record<string, number>, route: readonly Entry[]) =>
  route.map(({ use }) => `${use} ${counts[use] ?? 0}`).join(', ');

/** Runs the router's scenarios, printing each; returns their summary rows. */
export const runRouterDemo = async ({
  out,
  connector,
  example,
  sandbox,
  takeInbox,
}: RouterDemo): Promise<RouterRow[]> => {
  const { style } = out;
  const china = routeOf(example, countryOf(routerRecipients.china));
  const world = routeOf(example, countryOf(routerRecipients.world));
  const [first, second] = world;
  const base = pointRouterAtSandbox(example, sandbox).config;
  const config = first ? withTimeout(base, first.name, stopTimeoutMs) : base;
  out.addSecrets(secretValuesOf(config, connector.metadata));

  out.print(
    `${style.bold('router')}  one connector, several providers: each number is routed by its country, and the next provider is tried only where the previous one certainly did not deliver`
  );
  for (const [country, route] of [
    [countryOf(routerRecipients.china), china],
    [countryOf(routerRecipients.world), world],
  ] as const) {
    out.print(`  route  ${countryName(country)} → ${routeWords(route)}`);
  }

  const scenarios: Scenario[] = [
    {
      title: `a route: ${countryName(countryOf(routerRecipients.china))} goes to ${china[0]?.name ?? '?'}`,
      to: routerRecipients.china,
      code: '000000',
      expectedBy: china[0],
      route: china,
    },
    {
      title: `a route: ${countryName(countryOf(routerRecipients.world))} goes to ${first?.name ?? '?'}`,
      to: routerRecipients.world,
      code: '000000',
      expectedBy: first,
      route: world,
    },
  ];
  if (first && second && first.use !== second.use) {
    scenarios.push(
      {
        title: `a failover: ${first.name} answers HTTP 503, so it certainly did not send, and ${second.name} is tried`,
        to: routerRecipients.world,
        code: '000000',
        outage: {
          provider: first.use,
          mode: 'unavailable',
          says: `sandbox outage: ${first.use} unavailable (HTTP 503)`,
        },
        expectedBy: second,
        route: world,
      },
      {
        title: `a stop: ${first.name} does not answer within its timeout (${stopTimeoutMs} ms), so it may have sent the message, and ${second.name} is NOT tried`,
        to: routerRecipients.world,
        code: '000000',
        outage: {
          provider: first.use,
          mode: 'no-reply',
          says: `sandbox outage: ${first.use} no-reply (requests held open)`,
        },
        route: world,
      }
    );
  }

  const rows: RouterRow[] = [];
  for (const scenario of scenarios) {
    out.print();
    out.print(`${style.bold('router')}  ${scenario.title}`);
    out.print(
      `  Generic · code ${scenario.code} · no locale → ${scenario.to}${scenario.outage ? ` · ${scenario.outage.says}` : ''}`
    );
    const input: ConsoleSendInput = { to: digitsOf(scenario.to), type: TemplateType.Generic, code: scenario.code };
    takeInbox();
    sandbox.resetRequestCounts();
    if (scenario.outage) {
      sandbox.setOutage(scenario.outage.provider as SandboxProvider, scenario.outage.mode);
    }
    let outcome: SendOutcome;
    try {
      outcome = await sendLikeConsole(connector, config, input);
    } finally {
      if (scenario.outage) {
        sandbox.clearOutage(scenario.outage.provider as SandboxProvider);
      }
    }
    printOutcome(out, outcome, '  ');
    rows.push(check(out, scenario, outcome, takeInbox(), sandbox.requestCounts()));
  }
  return rows;
};

/** Whether the scenario went as designed, said in one line, and its summary row. */
const check = (
  out: Output,
  scenario: Scenario,
  outcome: SendOutcome,
  received: readonly InboxEntry[],
  counts: Record<string, number>
): RouterRow => {
  const { style } = out;
  const [first, second] = scenario.route;
  const attempts = attemptsOf(outcome) ?? [];
  const requests = `requests: ${requestsLine(counts, scenario.route)}`;
  const verdict = (ok: boolean, text: string) => {
    out.print(`  ${ok ? style.green('✔') : style.red('✖')} ${text}`);
    return ok;
  };

  if (scenario.expectedBy) {
    const expected = scenario.expectedBy;
    const byExpected = outcome.ok && outcome.provider === expected.name;
    const arrived = received.filter((entry) => entry.provider === expected.use && carriesCode(entry, scenario.code));
    const failedOver = scenario.outage !== undefined;
    const ok =
      byExpected &&
      arrived.length === 1 &&
      received.length === 1 &&
      (!failedOver ||
        // Not sent or refused, never "may have been delivered": only then may the next provider send.
        (attempts[0]?.provider === first?.name &&
          (attempts[0]?.outcome === 'notSent' || attempts[0]?.outcome === 'refused') &&
          attempts[0]?.httpStatus === 503 &&
          (counts[first?.use ?? ''] ?? 0) === 1));
    verdict(
      ok,
      ok
        ? failedOver
          ? `${first?.name} did not send it (HTTP 503), so ${expected.name} was tried and delivered it (${requests})`
          : `delivered by ${expected.name}, the first provider of the route (${requests})`
        : `expected ${expected.name} to deliver it; ${outcome.ok ? `sent by ${outcome.provider ?? '?'}` : 'not sent'}, ${received.length} message${received.length === 1 ? '' : 's'} received (${requests})`
    );
    return {
      outcome: outcome.ok
        ? `sent by ${outcome.provider ?? '?'}${failedOver ? ` (after ${first?.name} 503)` : ''}`
        : outcome.response.code.replace(/^connector\./, ''),
      messageId: outcome.ok ? (outcome.messageId ?? '-') : `HTTP ${outcome.response.status}`,
      ms: String(outcome.ms),
      ok,
      kind: 'delivered',
    };
  }

  // The stop: one attempt, at the first provider, which may have delivered; the second not tried and no request.
  const stopped =
    !outcome.ok &&
    attempts.length === 2 &&
    attempts[0]?.provider === first?.name &&
    attempts[0]?.outcome === 'unknown' &&
    attempts[1]?.provider === second?.name &&
    attempts[1]?.outcome === 'notTried' &&
    (counts[second?.use ?? ''] ?? 0) === 0 &&
    received.length === 0;
  verdict(
    stopped,
    stopped
      ? `${second?.name} was not tried: the message ${attemptOutcomeWords.unknown} by ${first?.name}, and a second provider could deliver a second code (${requests})`
      : `expected the send to stop at ${first?.name} without trying ${second?.name} (${requests})`
  );
  return {
    outcome: stopped
      ? `stopped at ${first?.name ?? '?'}, ${attemptOutcomeWords.unknown}`
      : outcome.ok
        ? `sent by ${outcome.provider ?? '?'}`
        : 'not stopped as expected',
    messageId: outcome.ok ? (outcome.messageId ?? '-') : `HTTP ${outcome.response.status}`,
    ms: String(outcome.ms),
    ok: stopped,
    kind: 'stopped',
  };
};
