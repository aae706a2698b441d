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
