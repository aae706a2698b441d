import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError } from 'zod';

import {
  fail,
  settle,
  succeed,
  toConnectorError,
  usageLimitExceededCode,
  withConnectorErrors,
  type ProviderFailure,
} from './errors';
import { logtoResponseFor } from './logto-response';
import { createRedactor } from './redact';

describe('toConnectorError', () => {
  it.each<[ProviderFailure, string, number, string]>([
    [
      { kind: 'rateLimit', description: 'Twilio error 20429: Too Many Requests', providerCode: 20429, httpStatus: 429 },
      'rate_limit_exceeded',
      429,
      'Trigger rate limit. Please try again later.',
    ],
    [
      {
        kind: 'usageLimit',
        description: 'Aliyun isv.AMOUNT_NOT_ENOUGH: balance too low',
        providerCode: 'isv.AMOUNT_NOT_ENOUGH',
      },
      'usage_limit_exceeded',
      429,
      'The email service usage limit has been reached.',
    ],
    [
      { kind: 'invalidResponse', description: 'Twilio answered HTTP 201 without a message sid' },
      'invalid_response',
      400,
      "The connector's response is invalid.",
    ],
    [
      { kind: 'general', description: 'Twilio error 30001: Queue overflow', providerCode: 30001, requestId: 'RQ1' },
      'general',
      400,
      'Error occurred in connector: Twilio error 30001: Queue overflow',
    ],
  ])('%j → %s (HTTP %i)', (failure, code, status, toast) => {
    const error = toConnectorError('Twilio', failure);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe(code);
    expect(error.data).toEqual({
      errorDescription: failure.description,
      provider: 'Twilio',
      ...(failure.providerCode !== undefined && { providerCode: failure.providerCode }),
      ...(failure.requestId !== undefined && { requestId: failure.requestId }),
      ...(failure.httpStatus !== undefined && { httpStatus: failure.httpStatus }),
    });
    expect(logtoResponseFor(error)).toEqual({ status, code: `connector.${code}`, toast });
  });

  it('reports config failures as a ZodError naming the field, which Logto prints', () => {
    const error = toConnectorError('Twilio', {
      kind: 'config',
      field: 'authToken',
      description: 'Twilio error 20003: Authenticate',
      providerCode: 20003,
      httpStatus: 401,
    });
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toBeInstanceOf(ZodError);
    expect((error.data as ZodError).issues).toEqual([
      {
        code: 'custom',
        path: ['authToken'],
        message: 'Twilio error 20003: Authenticate',
        params: { provider: 'Twilio', providerCode: 20003, httpStatus: 401 },
      },
    ]);
    expect(logtoResponseFor(error)).toEqual({
      status: 400,
      code: 'connector.invalid_config',
      toast: `The connector's config is invalid.\nError in key path "authToken": (custom) Twilio error 20003: Authenticate`,
    });
  });

  it('reports recipient failures on "to"', () => {
    const error = toConnectorError('Twilio', { kind: 'recipient', description: 'Twilio error 21211: invalid To' });
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(logtoResponseFor(error).toast).toBe(
      'The request is with wrong input parameter(s).\nError in key path "to": (custom) Twilio error 21211: invalid To'
    );
  });

  it('redacts the description', () => {
    const error = toConnectorError(
      'X',
      { kind: 'general', description: 'echoed key=s3cr3t-value' },
      createRedactor(['s3cr3t-value'])
    );
    expect(error.data).toEqual({ errorDescription: 'echoed key=[redacted]', provider: 'X' });
  });

  it('uses usage_limit_exceeded where the installed connector-kit has it', () => {
    expect(usageLimitExceededCode()).toBe('usage_limit_exceeded');
  });
});

describe('settle and withConnectorErrors', () => {
  it('returns the result of a success and throws the failure', () => {
    expect(settle('X', succeed({ messageId: 'm' }))).toEqual({ messageId: 'm' });
    expect(() => settle('X', fail({ kind: 'rateLimit', description: 'slow down' }))).toThrow(ConnectorError);
  });

  it('lets ConnectorErrors through unchanged', async () => {
    const original = new ConnectorError(ConnectorErrorCodes.TemplateNotFound, { errorDescription: 'x' });
    await expect(
      withConnectorErrors(
        'X',
        (text) => text,
        async () => {
          throw original;
        }
      )
    ).rejects.toBe(original);
  });

  it.each([new TypeError('Cannot read properties of undefined'), new SyntaxError('Unexpected token'), 'a string'])(
    'turns %p into a readable general error, redacted',
    async (thrown) => {
      const redact = createRedactor(['Cannot read']);
      let caught: unknown;
      try {
        await withConnectorErrors('X', redact, async () => {
          throw thrown;
        });
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConnectorError);
      expect((caught as ConnectorError).code).toBe(ConnectorErrorCodes.General);
      const { errorDescription } = (caught as ConnectorError).data as { errorDescription: string };
      expect(errorDescription).toMatch(/^X connector failed unexpectedly \(/);
      expect(errorDescription).not.toContain('Cannot read');
    }
  );
});

describe('logtoResponseFor', () => {
  it('answers 500 for anything that is not a ConnectorError', () => {
    expect(logtoResponseFor(new TypeError('x'))).toEqual({
      status: 500,
      code: 'unknown',
      toast: 'Internal server error.',
    });
  });

  it('double-encodes data without errorDescription, as Logto does', () => {
    expect(logtoResponseFor(new ConnectorError(ConnectorErrorCodes.General, 'plain')).toast).toBe(
      'Error occurred in connector: {"message":"plain"}'
    );
  });
});
