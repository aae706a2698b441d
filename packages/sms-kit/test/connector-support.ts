import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

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
