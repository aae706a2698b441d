import { assertBuilt, builtConnectors, lines, runCli, stderrOf } from './support';

beforeAll(assertBuilt);

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
