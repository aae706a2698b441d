import { readFileSync } from 'node:fs';
import path from 'node:path';

import { magicNumbers, type MagicNumber, type MagicOutcome } from '@sms-suite/sandbox';

import {
  assertBuilt,
  builtConnectors,
  stderrOf,
  examplesDir,
  inPool,
  lines,
  makeScratch,
  runCli,
  type CliResult,
  type ConnectorName,
} from './support';

beforeAll(assertBuilt);

/** Only the no-reply numbers use a short timeout: every other reply gets the default 10 s, however busy the machine. */
const timeout = 400;

type Expected = { code: string; status: number; toast: RegExp; details?: RegExp } | 'sent';

/** What an admin sees for each magic outcome: the code, the HTTP status Logto answers and the toast. */
const expectedByOutcome: Record<MagicOutcome, Expected> = {
  'rate-limited': {
    code: 'rate_limit_exceeded',
    status: 429,
    toast: /^Trigger rate limit\. Please try again later\.$/,
  },
  'invalid-number': {
    code: 'invalid_request_parameters',
    status: 400,
    toast: /^The request is with wrong input parameter\(s\)\.\nError in key path "to": \(custom\) \S.+$/,
  },
  unapproved: {
    code: 'invalid_config',
    status: 400,
    toast: /^The connector's config is invalid\.\nError in key path "[\w.]+": \(custom\) \S.+$/,
  },
  'insufficient-balance': {
    code: 'usage_limit_exceeded',
    status: 429,
    toast: /^The email service usage limit has been reached\.$/,
  },
  'server-error': {
    code: 'general',
    status: 400,
    toast: /^Error occurred in connector: \S.+$/,
    details: /^ {2}details {8}.* · provider HTTP 500$/,
  },
  'no-reply': {
    code: 'general',
    status: 400,
    toast: new RegExp(`^Error occurred in connector: .+ did not answer within ${timeout} ms .+$`),
  },
  'non-json': { code: 'invalid_response', status: 400, toast: /^The connector's response is invalid\.$/ },
};

/** Where a connector's documented mapping differs from the general rule. */
const overrides: Partial<Record<ConnectorName, Partial<Record<MagicOutcome, Expected>>>> = {
  // The Twilio connector's code table does not map 20005 (account suspended for a zero balance),
  // so it is a general error whose toast carries Twilio's text.
  twilio: {
    'insufficient-balance': {
      code: 'general',
      status: 400,
      toast: /^Error occurred in connector: Twilio error 20005: .+$/,
    },
  },
  // The HTTP-SMS response contract: any 2xx is sent, whatever the body.
  http: { 'non-json': 'sent' },
};

/** The outcomes after which the message may have gone out: the provider took the request, and its answer says nothing certain. */
const mayHaveBeenDelivered = new Set<MagicOutcome>(['no-reply', 'server-error', 'non-json']);

const expectedFor = (connector: ConnectorName, outcome: MagicOutcome) =>
  overrides[connector]?.[outcome] ?? expectedByOutcome[outcome];

/** The toast as printed: the `toast` line and its continuation lines. */
const toastOf = (stdout: string) => {
  const output = lines(stdout);
  const start = output.findIndex((line) => line.startsWith('  toast          '));
  if (start === -1) {
    return undefined;
  }
  const rest = output.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith(' '.repeat(17)));
  return [output[start]!, ...rest.slice(0, end === -1 ? rest.length : end)].map((line) => line.slice(17)).join('\n');
};

const scratch = makeScratch('magic');
afterAll(() => {
  scratch.remove();
});

const configFor = (name: ConnectorName, outcome: MagicOutcome) => {
  const config = JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as Record<string, unknown>;
  return outcome === 'no-reply'
    ? scratch.write(`${name}-no-reply.json`, { ...config, timeout })
    : path.join(examplesDir, `${name}.json`);
};

type Case = { connector: ConnectorName; magic: MagicNumber };

/** Every outcome through every connector with the US number, and the mainland numbers through the China-template connectors. */
const cases: Case[] = builtConnectors.flatMap((connector) =>
  magicNumbers
    .filter((magic) => magic.providers === 'all' || magic.providers.includes(connector))
    .filter((magic) => magic.callingCode === '1' || connector === 'aliyun' || connector === 'tencent')
    .map((magic) => ({ connector, magic }))
);

let results: Map<Case, CliResult>;

beforeAll(async () => {
  const outputs = await inPool(cases, 4, async ({ connector, magic }) =>
    runCli([
      'send',
      '-c',
      connector,
      '--config',
      configFor(connector, magic.outcome),
      '--to',
      magic.number,
      '--sandbox',
    ])
  );
  results = new Map(cases.map((item, index) => [item, outputs[index]!]));
}, 120_000);

it('covers every magic number at least once', () => {
  expect(new Set(cases.map(({ magic }) => magic.number))).toEqual(new Set(magicNumbers.map(({ number }) => number)));
});

it.each(cases.map((item) => [item.connector, item.magic.number, item.magic.outcome, item] as const))(
  '%s %s (%s)',
  (connector, number, outcome, item) => {
    const result = results.get(item)!;
    const expected = expectedFor(connector, outcome);
    const output = lines(result.stdout);

    expect(output[1]).toMatch(new RegExp(`^to {9}${number.slice(1)} \\(typed "\\${number}"\\)`));
    if (expected === 'sent') {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^✔ sent in \d+ ms/m);
      return;
    }
    expect(result.code).toBe(1);
    expect(stderrOf(result)).toBe('');
    // After the request was written, a reply that never came, a 500 or an unreadable 200 may hide a
    // message that went out (the kit's data.delivery 'unknown'): the CLI must not claim it was not sent.
    const headline = mayHaveBeenDelivered.has(outcome) ? '✖ failed, may have been delivered' : '✖ not sent';
    expect(result.stdout).toMatch(new RegExp(`^${headline} in \\d+ ms · connector\\.${expected.code}$`, 'm'));
    expect(output).toContain(`  Logto answers  HTTP ${expected.status} connector.${expected.code}`);
    expect(toastOf(result.stdout)).toMatch(expected.toast);
    if (expected.details) {
      expect(output.find((line) => line.startsWith('  details'))).toMatch(expected.details);
    }
    // The sandbox received nothing it would deliver.
    expect(result.stdout).not.toMatch(/^inbox/m);
  }
);
