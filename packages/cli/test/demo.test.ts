import { assertBuilt, builtConnectors, builtSuiteConnectors, lines, routerBuilt, runCli, stderrOf } from './support';

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

/** The lines of one part of the demo: from its title line to the next empty line. */
const partOf = (output: string[], title: string) => {
  const start = output.indexOf(title);
  expect(start).toBeGreaterThan(0);
  const end = output.indexOf('', start);
  return output.slice(start + 1, end);
};

const routerStopLine =
  '✔ the router stopped where a provider may have delivered the message, and tried no other provider.';

/**
 * The demo's router part, with examples/router.json: a route (+86 to aliyun-cn, +1 to twilio), a
 * failover (twilio answers 503, vonage delivers) and a stop (twilio holds the request past its
 * 1500 ms timeout: it may have delivered, so vonage gets no request). Each send prints its attempts.
 */
const expectRouterDemo = (output: string[]) => {
  expect(
    partOf(
      output,
      'router  one connector, several providers: each number is routed by its country, and the next provider is tried only where the previous one certainly did not deliver'
    )
  ).toEqual([
    '  route  China (CN) → aliyun-cn (aliyun), then twilio',
    '  route  United States (US) → twilio, then vonage',
  ]);

  const china = partOf(output, 'router  a route: China (CN) goes to aliyun-cn');
  expect(china).toEqual([
    '  Generic · code 000000 · no locale → +86 138 0013 8000',
    expect.stringMatching(/^ {2}inbox {2}aliyun → 13800138000 \(from SMS Suite, id \d+\^0\)$/),
    '           template SMS_100000001 code=000000',
    expect.stringMatching(/^ {2}✔ sent by aliyun-cn in \d+ ms · message id \d+\^0$/),
    expect.stringMatching(/^ {4}attempts {7}1\. aliyun-cn \(aliyun\) {2}delivered {2}message id \d+\^0 · \d+ ms$/),
    '  ✔ delivered by aliyun-cn, the first provider of the route (requests: aliyun 1, twilio 0)',
  ]);

  const world = partOf(output, 'router  a route: United States (US) goes to twilio');
  expect(world).toEqual([
    '  Generic · code 000000 · no locale → +1 650 253 0000',
    expect.stringMatching(/^ {2}inbox {2}twilio → \+16502530000 \(from MGsandbox0{25}, id SM[0-9a-f]{32}\)$/),
    '           "Your verification code is 000000. Do not share it with anyone."',
    expect.stringMatching(/^ {2}✔ sent by twilio in \d+ ms · message id SM[0-9a-f]{32}$/),
    expect.stringMatching(/^ {4}attempts {7}1\. twilio \(twilio\) {2}delivered {2}message id SM[0-9a-f]{32} · \d+ ms$/),
    '  ✔ delivered by twilio, the first provider of the route (requests: twilio 1, vonage 0)',
  ]);

  const failover = partOf(
    output,
    'router  a failover: twilio answers HTTP 503, so it certainly did not send, and vonage is tried'
  );
  expect(failover).toEqual([
    '  Generic · code 000000 · no locale → +1 650 253 0000 · sandbox outage: twilio unavailable (HTTP 503)',
    expect.stringMatching(/^ {2}inbox {2}vonage → 16502530000 \(from SMSSuite, id [0-9A-F]+\)$/),
    '           "Your verification code is 000000. Do not share it with anyone."',
    expect.stringMatching(/^ {2}✔ sent by vonage in \d+ ms · message id [0-9A-F]+$/),
    expect.stringMatching(
      /^ {4}attempts {7}1\. twilio \(twilio\) {2}refused {4}connector\.general · provider code 20503 · provider HTTP 503 · \d+ ms$/
    ),
    expect.stringMatching(/^ {19}2\. vonage \(vonage\) {2}delivered {2}message id [0-9A-F]+ · \d+ ms$/),
    '  ✔ twilio did not send it (HTTP 503), so vonage was tried and delivered it (requests: twilio 1, vonage 1)',
  ]);

  const stop = partOf(
    output,
    'router  a stop: twilio does not answer within its timeout (1500 ms), so it may have sent the message, and vonage is NOT tried'
  );
  expect(stop[0]).toBe(
    '  Generic · code 000000 · no locale → +1 650 253 0000 · sandbox outage: twilio no-reply (requests held open)'
  );
  // No inbox line: nothing was delivered, by twilio or by vonage.
  const headline = /^ {2}✖ failed, may have been delivered in (\d+) ms · connector\.general$/.exec(stop[1] ?? '');
  expect(headline).not.toBeNull();
  // The short timeout of the demo's config, not twilio's default 10 s.
  expect(Number(headline![1])).toBeGreaterThanOrEqual(1500);
  expect(Number(headline![1])).toBeLessThan(6000);
  expect(stop).toContain('    Logto answers  HTTP 400 connector.general');
  expect(stop.find((line) => line.startsWith('    toast '))).toContain('Twilio did not answer within 1500 ms');
  expect(stop.filter((line) => /^ {4}attempts | {19}\d\. /.test(line))).toEqual([
    expect.stringMatching(
      /^ {4}attempts {7}1\. twilio \(twilio\) {2}may have been delivered {2}connector\.general · \d+ ms$/
    ),
    '                   2. vonage (vonage)  not tried',
  ]);
  expect(stop.at(-1)).toBe(
    '  ✔ vonage was not tried: the message may have been delivered by twilio, and a second provider could deliver a second code (requests: twilio 1, vonage 0)'
  );
  expect(stop.filter((line) => line.includes('inbox'))).toEqual([]);
};

/** The router's rows of the summary table. */
const routerSummaryRows = [
  /^ {2}router +Generic +- +sent by aliyun-cn +\d+\^0 +\d+$/,
  /^ {2}router +Generic +- +sent by twilio +SM[0-9a-f]{32} +\d+$/,
  /^ {2}router +Generic +- +sent by vonage \(after twilio 503\) +[0-9A-F]+ +\d+$/,
  /^ {2}router +Generic +- +stopped at twilio, may have been delivered +HTTP 400 +\d+$/,
].map((pattern) => expect.stringMatching(pattern));

describe('demo', () => {
  it('sends the console test and a fr-CA sign-in code through every built connector to the sandbox, and exits 0', async () => {
    const result = await runCli(['demo'], { timeout: 60_000 });

    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[0]).toMatch(/^✔ sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(output[1]).toBe(
      `Sending through ${builtSuiteConnectors.length} connectors: ${builtSuiteConnectors.join(', ')}`
    );

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
    if (routerBuilt) {
      // After the single connectors, before the burst.
      const routerStart = output.findIndex((line) => line.startsWith('router  '));
      expect(routerStart).toBeGreaterThan(output.findIndex((line) => line.startsWith(`${builtConnectors.at(-1)!}  `)));
      expect(routerStart).toBeLessThan(
        builtConnectors.includes('twilio') ? output.findIndex((line) => line.startsWith('Pumping burst')) : Infinity
      );
      expectRouterDemo(output);
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
    const routerRows = routerBuilt ? routerSummaryRows : [];
    expect(output.slice(summary + 2 + rows.length, summary + 3 + rows.length + routerRows.length)).toEqual([
      ...routerRows,
      '',
    ]);
    // Every message that should arrive did; the router's stop delivered none, and is said apart.
    const delivered = builtConnectors.length * 2 + (routerBuilt ? 3 : 0);
    expect(output.slice(-3)).toEqual([
      ...(routerBuilt ? [routerStopLine] : ['']),
      `✔ ${delivered} of ${delivered} messages delivered to the sandbox, through ${builtSuiteConnectors.length} connectors.`,
      '',
    ]);
  }, 60_000);

  it('demonstrates the router alone: a route per country, a failover after a 503, and a stop after a timeout', async () => {
    if (!routerBuilt) {
      return;
    }
    const result = await runCli(['demo', 'router']);

    expect(stderrOf(result)).toBe('');
    expect(result.code).toBe(0);
    const output = lines(result.stdout);
    expect(output[1]).toBe('Sending through 1 connector: router');
    expectRouterDemo(output);
    const summary = output.indexOf('Summary');
    expect(output.slice(summary + 2)).toEqual([
      ...routerSummaryRows,
      '',
      routerStopLine,
      '✔ 3 of 3 messages delivered to the sandbox, through 1 connector.',
      '',
    ]);
    // No line shows a credential of the example's provider configs (the sandbox's own).
    for (const secret of ['sandbox-twilio-auth-token', 'sandbox-aliyun-access-key-secret', 'sandbox-vonage-secret']) {
      expect(result.output).not.toContain(secret);
    }
  });

  it('runs only the connectors named, and refuses an unknown one', async () => {
    const [first] = builtConnectors;
    const only = await runCli(['demo', first!]);
    expect(only.code).toBe(0);
    expect(lines(only.stdout)[1]).toBe(`Sending through 1 connector: ${first!}`);
    expect(lines(only.stdout).at(-2)).toBe('✔ 2 of 2 messages delivered to the sandbox, through 1 connector.');

    const unknown = await runCli(['demo', 'twillio']);
    expect(unknown.code).toBe(2);
    expect(lines(stderrOf(unknown))[0]).toBe(
      'error: unknown connector "twillio" (did you mean "twilio"?): use one of twilio, aliyun, tencent, http, smsaero, gatewayapi, vonage, router'
    );
  });
});
