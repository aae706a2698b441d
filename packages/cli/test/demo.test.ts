import { assertBuilt, builtConnectors, lines, runCli, stderrOf } from './support';

beforeAll(assertBuilt);

const refusedBy = (by: string) =>
  new RegExp(
    `^ {4}\\+998 90 123 45 \\d\\d {2}ip [\\d.]+ +✖ refused · HTTP 429 connector\\.rate_limit_exceeded \\(sendLimits by ${by}\\)$`
  );
const sent = /^ {4}\+998 90 123 45 \d\d {2}ip [\d.]+ +✔ sent · message id SM[0-9a-f]{32}$/;

/**
 * The demo's last part: sign-in codes sent the real way (getConfig) to one range of numbers, through
 * twilio with sendLimits of 3 per IP and 5 per 7-digit range per hour. From one IP: 3 delivered, 7
 * refused by the IP limit; then from ten IPs: 2 more delivered (the range's 5), 8 refused by the
 * range limit. Every refusal names its limit, never the IP or a whole number.
 */
const expectPumpingBurstStopped = (output: string[]) => {
  const start = output.findIndex((line) => line.startsWith('Pumping burst  twilio'));
  expect(start).toBeGreaterThan(1);
  const burst = output.slice(start, output.indexOf('Summary'));
  expect(burst.slice(2, 4)).toEqual([
    '  sendLimits  at most 3 SMS per 1 hour per visitor IP address',
    '              at most 5 SMS per 1 hour per number range (the first 7 digits of the number with its country code)',
  ]);

  const firstWave = burst.indexOf(
    '  10 sign-in codes from one IP (203.0.113.7) to +998 90 123 45 00 … +998 90 123 45 09'
  );
  expect(firstWave).toBeGreaterThan(0);
  const firstSends = burst.slice(firstWave + 1, firstWave + 11);
  expect(firstSends.slice(0, 3)).toEqual(Array.from({ length: 3 }, () => expect.stringMatching(sent)));
  expect(firstSends.slice(3)).toEqual(Array.from({ length: 7 }, () => expect.stringMatching(refusedBy('ip'))));
  expect(burst.slice(firstWave + 11, firstWave + 13)).toEqual([
    '  ✔ 3 delivered, 7 refused as rate_limit_exceeded (HTTP 429) before any request reached Twilio',
    "    7 × Too many SMS: the per-IP limit (3 SMS per 1 hour) was reached for this visitor's IP address, so the message was not sent. Try again later; sendLimits in the connector config sets these limits.",
  ]);

  const secondWave = burst.indexOf(
    '  the bot rotates IPs: 10 more codes to +998 90 123 45 10 … +998 90 123 45 19, each from another IP'
  );
  expect(secondWave).toBe(firstWave + 13);
  const secondSends = burst.slice(secondWave + 1, secondWave + 11);
  expect(secondSends.slice(0, 2)).toEqual(Array.from({ length: 2 }, () => expect.stringMatching(sent)));
  expect(secondSends.slice(2)).toEqual(Array.from({ length: 8 }, () => expect.stringMatching(refusedBy('prefix'))));
  expect(burst.slice(secondWave + 11, secondWave + 13)).toEqual([
    '  ✔ 2 delivered, 8 refused as rate_limit_exceeded (HTTP 429) before any request reached Twilio',
    '    8 × Too many SMS: the limit for numbers starting +9989012 (5 SMS per 1 hour) was reached, so the message was not sent. Try again later; sendLimits in the connector config sets these limits.',
  ]);

  // One line per send instead of the inbox entries; the descriptions name no IP and no whole number.
  expect(burst.filter((line) => line.includes('inbox'))).toEqual([]);
  for (const description of burst.filter((line) => line.includes('Too many SMS'))) {
    expect(description).not.toMatch(/203\.0\.113|198\.51\.100|99890123\d{4}/);
  }
};

describe('demo', () => {
  it('sends the console test and a fr-CA sign-in code through every built connector to the sandbox, and exits 0', async () => {
    const result = await runCli(['demo'], { timeout: 60_000 });

    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[0]).toMatch(/^✔ sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(output[1]).toBe(`Sending through ${builtConnectors.length} connectors: ${builtConnectors.join(', ')}`);

    // Each send: the request line, the inbox entry (two lines) and the outcome.
    for (const name of builtConnectors) {
      const generic = output.findIndex((line) => line.startsWith(`${name}  Generic · code 000000 · no locale → `));
      expect(generic).toBeGreaterThan(1);
      expect(output[generic + 1]).toMatch(new RegExp(`^ {2}inbox {2}${name} → `));
      expect(output[generic + 2]).toMatch(/000000/);
      expect(output[generic + 3]).toMatch(/^ {2}✔ sent in \d+ ms · message id \S+/);

      const signIn = output.findIndex((line) => line.startsWith(`${name}  SignIn · code `));
      const code = /code (\d{6}) · locale fr-CA/.exec(output[signIn] ?? '')?.[1];
      expect(code).toBeDefined();
      expect(output[signIn + 2]).toContain(code);
      expect(output[signIn + 2]).toMatch(
        name === 'aliyun' || name === 'tencent' ? /template \d*|SMS_/ : /Votre code de connexion est/
      );
    }

    if (builtConnectors.includes('twilio')) {
      expectPumpingBurstStopped(output);
    }

    const summary = output.indexOf('Summary');
    expect(output[summary + 1]).toMatch(/^ {2}connector +type +locale +outcome +message id +ms$/);
    const rows = output.slice(summary + 2, summary + 2 + builtConnectors.length * 2);
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 4))).toEqual(
      builtConnectors.flatMap((name) => [
        [name, 'Generic', '-', 'sent'],
        [name, 'SignIn', 'fr-CA', 'sent'],
      ])
    );
    expect(output.at(-2)).toBe(
      `✔ ${builtConnectors.length * 2} of ${builtConnectors.length * 2} messages delivered to the sandbox, through ${builtConnectors.length} connectors.`
    );
  }, 60_000);

  it('runs only the connectors named, and refuses an unknown one', async () => {
    const [first] = builtConnectors;
    const only = await runCli(['demo', first!]);
    expect(only.code).toBe(0);
    expect(lines(only.stdout)[1]).toBe(`Sending through 1 connector: ${first!}`);
    expect(lines(only.stdout).at(-2)).toBe('✔ 2 of 2 messages delivered to the sandbox, through 1 connector.');

    const unknown = await runCli(['demo', 'twillio']);
    expect(unknown.code).toBe(2);
    expect(lines(stderrOf(unknown))[0]).toBe(
      'error: unknown connector "twillio" (did you mean "twilio"?): use one of twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage'
    );
  });
});
