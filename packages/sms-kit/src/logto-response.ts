import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { ZodError } from 'zod';

/**
 * What Logto answers when a connector throws: status, `connector.<code>` and the text of the toast
 * an admin sees in the console (message, then one details line per ZodError issue). Mirrors
 * Logto's koaConnectorErrorHandler and the console's toast; used by the CLI and by tests that check
 * an error is readable.
 */
export type LogtoResponse = { status: number; code: string; toast: string };

const statusByCode: Partial<Record<string, number>> = {
  [ConnectorErrorCodes.RateLimitExceeded]: 429,
  usage_limit_exceeded: 429,
  [ConnectorErrorCodes.NotImplemented]: 501,
  [ConnectorErrorCodes.SocialAuthCodeInvalid]: 401,
  [ConnectorErrorCodes.SocialAccessTokenInvalid]: 401,
  [ConnectorErrorCodes.SocialIdTokenInvalid]: 401,
  [ConnectorErrorCodes.AuthorizationFailed]: 401,
};

const phrases: Partial<Record<string, string>> = {
  [ConnectorErrorCodes.InvalidConfig]: "The connector's config is invalid.",
  [ConnectorErrorCodes.InvalidRequestParameters]: 'The request is with wrong input parameter(s).',
  [ConnectorErrorCodes.InvalidResponse]: "The connector's response is invalid.",
  [ConnectorErrorCodes.TemplateNotFound]: 'Unable to find correct template in connector config.',
  [ConnectorErrorCodes.RateLimitExceeded]: 'Trigger rate limit. Please try again later.',
  usage_limit_exceeded: 'The email service usage limit has been reached.',
  [ConnectorErrorCodes.NotImplemented]: 'has not been implemented yet.',
};

const describe = (data: unknown): string => {
  if (
    data &&
    typeof data === 'object' &&
    typeof (data as { errorDescription?: unknown }).errorDescription === 'string'
  ) {
    return (data as { errorDescription: string }).errorDescription;
  }
  return JSON.stringify(data);
};

export const logtoResponseFor = (error: unknown): LogtoResponse => {
  if (!(error instanceof ConnectorError)) {
    return { status: 500, code: 'unknown', toast: 'Internal server error.' };
  }
  const status = statusByCode[error.code] ?? 400;
  const message = phrases[error.code] ?? `Error occurred in connector: ${describe(error.data)}`;
  const details =
    error.data instanceof ZodError
      ? error.data.issues.map(
          (issue) => `Error in key path "${issue.path.map(String).join('.')}": (${issue.code}) ${issue.message}`
        )
      : [];
  return { status, code: `connector.${error.code}`, toast: [message, ...details].join('\n') };
};
