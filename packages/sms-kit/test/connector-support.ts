import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';

import {
  ConnectorError,
  ConnectorErrorCodes,
  TemplateType,
  type CreateConnector,
  type SendMessageData,
  type SmsConnector,
} from '@logto/connector-kit';
import type Nock from 'nock';
import type { ZodTypeAny } from 'zod';

import {
  parseConfig,
  parseJsonSafely,
  type FailureKind,
  type HttpReply,
  type Outcome,
  type ProviderFailure,
} from '../src/index';

/** The `getConfig` of the console's Send button: Logto passes one that throws `not_implemented`. */
export const notImplemented = async (): Promise<never> => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

/** The ConnectorError a send rejects with; fails the test if it resolves or rejects with anything else. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected the send to fail with a ConnectorError');
};

/** The ConnectorError `run` throws; fails the test if it returns or throws anything else. */
export const thrownConnectorError = (run: () => unknown): ConnectorError => {
  try {
    run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError to be thrown');
};

/** The invalid_config ConnectorError a config guard refuses `config` with, as Logto shows it. */
export const configRejection = (guard: ZodTypeAny, config: unknown): ConnectorError => {
  const error = thrownConnectorError(() => parseConfig(guard, config));
  expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
  return error;
};

/** What a config guard says about `config`: one `{ path, message }` per issue, none when it is valid. */
export const configIssues = (guard: ZodTypeAny, config: unknown) => {
  const result = guard.safeParse(config);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

/**
 * A `getConfig` that records the ids it is asked for (jest.fn is not a global under ESM) and answers
 * `stored`; without `stored` it throws, for flows where Logto must never call it.
 */
export const recordingGetConfig = (stored?: unknown) => {
  const calls: string[] = [];
  const getConfig = async (id: string) => {
    calls.push(id);
    if (stored === undefined) {
      throw new Error('getConfig must not be called');
    }
    return stored;
  };
  return { getConfig, calls };
};

/**
 * Logto's real flow (a sign-in, a registration): sendMessage gets no config and the connector reads
 * `stored` with getConfig. Resolves with the send's result and the ids getConfig was asked for.
 */
export const storedConfigSend = async (
  createConnector: CreateConnector<SmsConnector>,
  data: SendMessageData,
  stored: unknown
) => {
  const { getConfig, calls } = recordingGetConfig(stored);
  const connector = await createConnector({ getConfig });
  const result = await connector.sendMessage(data);
  return { result, configIds: calls };
};

/**
 * The console's Send button: Logto's getConfig throws, the unsaved config is the second argument, and
 * the message is a Generic one with the code 000000 unless `data` says otherwise.
 */
export const consoleSend = async (
  createConnector: CreateConnector<SmsConnector>,
  data: Partial<SendMessageData> & Pick<SendMessageData, 'to'>,
  config: unknown
) => {
  const connector = await createConnector({ getConfig: notImplemented });
  return connector.sendMessage({ type: TemplateType.Generic, payload: { code: '000000' }, ...data }, config);
};

/** A reply as the kit's `send` hands it to a provider's reply reader: a body that is not a string is JSON. */
export const httpReply = (status: number, body: unknown, headers: Record<string, string> = {}): HttpReply => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(headers), text, truncated: false, json: parseJsonSafely(text) };
};

/** The code and HTTP status Logto answers with, for each kind of provider failure. */
export const logtoErrorOf: Record<FailureKind, { code: string; status: number }> = {
  config: { code: 'connector.invalid_config', status: 400 },
  recipient: { code: 'connector.invalid_request_parameters', status: 400 },
  rateLimit: { code: 'connector.rate_limit_exceeded', status: 429 },
  usageLimit: { code: 'connector.usage_limit_exceeded', status: 429 },
  invalidResponse: { code: 'connector.invalid_response', status: 400 },
  general: { code: 'connector.general', status: 400 },
};

/** The failure a reply reader reports; fails the test when it reports a success. */
export const failureOf = <Result>(outcome: Outcome<Result>): ProviderFailure => {
  if (outcome.ok) {
    throw new Error(`expected a failure, got ${JSON.stringify(outcome.result)}`);
  }
  return outcome.failure;
};

/**
 * nock, loaded on first use: loading it takes over node:http(s), which the tests on real sockets that
 * import this file must keep.
 */
const nock = (): typeof Nock => createRequire(import.meta.url)('nock') as typeof Nock;

/**
 * Every HTTP request of this test file goes to nock: no real network, interceptors cleared after each
 * test, and node:http(s) given back at the end (nock's hooks would otherwise outlive the file in the
 * jest worker, and the real-socket tests that run next in it must reach their server unintercepted).
 */
export const interceptHttpWithNock = () => {
  beforeAll(() => {
    nock().disableNetConnect();
  });
  afterEach(() => {
    nock().abortPendingRequests();
    nock().cleanAll();
  });
  afterAll(() => {
    nock().enableNetConnect();
    nock().restore();
  });
};

/** A request as the provider received it: header names in lowercase, the body exactly as sent. */
export type ReceivedRequest = {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
};

export type ExpectedPost = {
  /** What the provider answers: `body` is sent as JSON unless it is a string. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Milliseconds before the answer; under nock the socket only "connects" when it replies. */
  delay?: number;
  times?: number;
};

/**
 * Expects POSTs to `origin` + `path` (nock) and answers each one; `requests` records every request
 * that reached it, exactly as it went over the wire.
 */
export const expectPost = (
  origin: string,
  path: string | RegExp,
  { status = 200, body = '', headers = {}, delay = 0, times = 1 }: ExpectedPost = {}
) => {
  const requests: ReceivedRequest[] = [];
  const interceptor = nock()(origin).post(path).times(times);
  const scope = (delay ? interceptor.delay(delay) : interceptor).reply(
    status,
    typeof body === 'string' ? body : JSON.stringify(body),
    headers
  );
  // nock emits 'request' with the raw body before it answers, for every interceptor of the scope.
  scope.on('request', (request: ClientRequest, _interceptor: unknown, rawBody: string) => {
    requests.push({
      method: request.method,
      url: `${origin}${request.path}`,
      path: request.path,
      headers: Object.fromEntries(
        Object.entries(request.getHeaders()).map(([name, value]) => [name.toLowerCase(), String(value)])
      ),
      body: rawBody,
    });
  });
  return { scope, requests };
};

/** A file of the connector package in `packageFolder` (from its src: `new URL('..', import.meta.url)`). */
export const packageFile = (packageFolder: URL, name: string) => readFileSync(new URL(name, packageFolder), 'utf8');

/**
 * The connector package in `packageFolder` is what Logto loads: an ES module bundled into lib/index.js,
 * shipped with its SVG logo and README, and nothing installed next to Logto but connector-kit and zod
 * (the kit is bundled in, and sends through node:http(s)).
 */
export const expectLoadableConnectorPackage = (
  packageFolder: URL,
  name: string,
  devDependencies: Record<string, string> = { '@sms-suite/sms-kit': 'workspace:*' }
) => {
  expect(JSON.parse(packageFile(packageFolder, 'package.json'))).toEqual({
    name,
    version: expect.any(String),
    description: expect.any(String),
    type: 'module',
    main: './lib/index.js',
    exports: './lib/index.js',
    files: ['lib/index.js', 'logo.svg', 'README.md', 'LICENSE'],
    license: 'MPL-2.0',
    repository: {
      type: 'git',
      url: expect.any(String),
      directory: expect.stringMatching(/^packages\/connector-[a-z]+-sms$/),
    },
    keywords: expect.any(Array),
    dependencies: { '@logto/connector-kit': '>=5.0.1 <6', zod: '3.24.3' },
    devDependencies,
    engines: { node: '>=20.11' },
    publishConfig: { access: 'public' },
  });
  expect(packageFile(packageFolder, 'logo.svg')).toMatch(
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/
  );
};
