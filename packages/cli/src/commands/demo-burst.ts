import { TemplateType } from '@logto/connector-kit';
import type { InboxEntry } from '@sms-suite/sandbox';
import { logtoResponseFor } from '@sms-suite/sms-kit';

import type { LoadedConnector } from '../connectors';
import { describeLimit } from '../destination-policy';
import type { Output } from '../output';

/**
 * The demo's last part: SMS pumping, stopped. A bot asks for sign-in codes to consecutive numbers of
 * one range (every code it triggers earns its accomplice a share of the termination fee); Logto's
 * own cap (10 per number per 10 minutes) never trips, since every number is new. The connector's
 * sendLimits do: first per visitor IP, then, when the bot rotates IPs, per number range.
 *
 * The sends go the way a real sign-in does, through a connector whose getConfig returns the config
 * (the console's Send button, config as the second argument, is never limited).
 */

/** The burst's limits: 3 codes per IP per hour, 5 per 7-digit range per hour. */
export const burstLimits = [
  { by: 'ip', max: 3, windowSeconds: 3600 },
  { by: 'prefix', digits: 7, max: 5, windowSeconds: 3600 },
] as const;

/** Consecutive mobile numbers of one range (+998 90 123 45 xx, Uzbekistan): one 7-digit prefix, +9989012. */
const rangeNumber = (index: number) => `9989012345${String(index).padStart(2, '0')}`;
const shown = (digits: string) => `+998 90 123 45 ${digits.slice(-2)}`;

/** Documentation addresses (RFC 5737): one bot, then the same bot behind ten proxies. */
const botIp = '203.0.113.7';
const proxyIp = (index: number) => `198.51.100.${index + 1}`;

export type Wave = { label: string; sends: Array<{ to: string; ip: string }>; expected: { delivered: number } };

export const burstWaves: Wave[] = [
  {
    label: `10 sign-in codes from one IP (${botIp}) to ${shown(rangeNumber(0))} … ${shown(rangeNumber(9))}`,
    sends: Array.from({ length: 10 }, (_, index) => ({ to: rangeNumber(index), ip: botIp })),
    // The per-IP limit: 3 pass, the other 7 are refused.
    expected: { delivered: 3 },
  },
  {
    label: `the bot rotates IPs: 10 more codes to ${shown(rangeNumber(10))} … ${shown(rangeNumber(19))}, each from another IP`,
    sends: Array.from({ length: 10 }, (_, index) => ({ to: rangeNumber(10 + index), ip: proxyIp(index) })),
    // The range limit: 3 of its 5 were used by the first wave, so 2 pass.
    expected: { delivered: 2 },
  },
];

type ErrorLike = { code?: unknown; data?: { errorDescription?: unknown; limit?: { by?: unknown } } };

const codeOf = (error: unknown) => String((error as ErrorLike | undefined)?.code ?? 'unknown');

/**
 * Runs the burst and prints it. `takeInbox` returns what the sandbox received since its last call.
 * Returns whether the limits stopped it as expected (and the delivered ones reached the sandbox).
 */
export const runPumpingBurst = async (
  out: Output,
  connector: LoadedConnector,
  config: Record<string, unknown>,
  takeInbox: () => InboxEntry[]
): Promise<boolean> => {
  // Counts stay in this process: the demo never writes to a Redis that the config or Logto's
  // REDIS_URL in this environment may point at (the kit reads REDIS_URL on every send). Country
  // lists of an edited example are left out too: the burst is about the send limits.
  const {
    redisUrl: _redisUrl,
    allowedCountries: _allowedCountries,
    blockedCountries: _blockedCountries,
    sendLimitsOnStoreError: _onStoreError,
    ...rest
  } = config;
  const environmentRedis = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  try {
    return await burst(out, connector, { ...rest, sendLimits: burstLimits }, takeInbox);
  } finally {
    if (environmentRedis !== undefined) {
      process.env.REDIS_URL = environmentRedis;
    }
  }
};

const burst = async (
  out: Output,
  connector: LoadedConnector,
  burstConfig: Record<string, unknown>,
  takeInbox: () => InboxEntry[]
): Promise<boolean> => {
  const { style } = out;
  const sendMessage = await connector.withSavedConfig(burstConfig);
  const provider = connector.metadata.name.en?.split(' ')[0] ?? connector.ref.label;

  out.print(
    `${style.bold('Pumping burst')}  ${connector.ref.label}, sent like real sign-ins (config from getConfig, the visitor's ip)`
  );
  out.print(
    "  SMS pumping: bots request codes for numbers whose termination fees an accomplice shares; every number is new, so Logto's 10 per number per 10 minutes never trips"
  );
  burstLimits.forEach((limit, index) =>
    out.print(`  ${index === 0 ? 'sendLimits' : '          '}  ${describeLimit(limit)}`)
  );

  let allAsExpected = true;
  for (const wave of burstWaves) {
    out.print(`  ${wave.label}`);
    takeInbox();
    let delivered = 0;
    const refusals = new Map<string, number>();
    const others: string[] = [];
    for (const [index, { to, ip }] of wave.sends.entries()) {
      const code = String(100_000 + index * 7919).slice(-6);
      const label = `    ${shown(to)}  ip ${ip.padEnd(13)}`;
      try {
        const result = (await sendMessage({ to, type: TemplateType.SignIn, payload: { code }, ip })) as
          { messageId?: unknown } | undefined;
        delivered += 1;
        out.print(`${label}  ${style.green('✔ sent')} · message id ${String(result?.messageId ?? '-')}`);
      } catch (error: unknown) {
        const { status, code: logtoCode } = logtoResponseFor(error);
        const data = (error as ErrorLike).data;
        const by = typeof data?.limit?.by === 'string' ? ` (sendLimits by ${data.limit.by})` : '';
        out.print(`${label}  ${style.red('✖ refused')} · HTTP ${status} ${logtoCode}${by}`);
        const description = typeof data?.errorDescription === 'string' ? data.errorDescription : codeOf(error);
        if (codeOf(error) === 'rate_limit_exceeded') {
          refusals.set(description, (refusals.get(description) ?? 0) + 1);
        } else {
          others.push(`${codeOf(error)}: ${description}`);
        }
      }
    }
    const received = takeInbox().length;
    const refused = [...refusals.values()].reduce((sum, count) => sum + count, 0);
    const asExpected =
      delivered === wave.expected.delivered &&
      received === delivered &&
      refused === wave.sends.length - delivered &&
      others.length === 0;
    allAsExpected &&= asExpected;
    out.print(
      `  ${asExpected ? style.green('✔') : style.red('✖')} ${delivered} delivered, ${refused} refused as rate_limit_exceeded (HTTP 429) before any request reached ${provider}${received === delivered ? '' : ` (the sandbox received ${received})`}`
    );
    for (const [description, count] of refusals) {
      out.print(`    ${count} × ${description}`);
    }
    for (const other of others) {
      out.print(`    ${style.red('✖')} unexpected: ${other}`);
    }
  }
  return allAsExpected;
};
