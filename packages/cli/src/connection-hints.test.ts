import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { connectionHints } from './connection-hints';

/** The kit's wording may change; only the system code in it counts. */
const unreachable = (code: string) =>
  new ConnectorError(ConnectorErrorCodes.General, {
    errorDescription: `Could not reach Acme at somewhere after 12 ms: ${code}; the message was not sent.`,
  });

describe('connectionHints', () => {
  it.each([
    [
      'the sandbox default address',
      'http://127.0.0.1:4010/twilio',
      'nothing listens on 127.0.0.1:4010 (the sandbox\'s default address): start the sandbox with "sms-connector sandbox" in another terminal, or add --sandbox to send to one started for this command',
    ],
    [
      'another loopback port',
      'http://localhost:4321',
      'nothing listens on localhost:4321: start the sandbox with "sms-connector sandbox --port 4321" in another terminal, or add --sandbox to send to one started for this command',
    ],
    [
      'a remote host',
      'https://gateway.example.com/sms?key=abc',
      'gateway.example.com:443 refused the connection: check the host and port of "endpoint", and any proxy or firewall in between',
    ],
    [
      'no endpoint (the provider default)',
      undefined,
      "the provider's host refused the connection: check this machine's network, proxy and firewall",
    ],
  ])('ECONNREFUSED with %s', (_name, endpoint, hint) => {
    expect(connectionHints(unreachable('ECONNREFUSED'), { endpoint })).toEqual([hint]);
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])('%s names the endpoint host to check, never its path or query', (code) => {
    expect(
      connectionHints(unreachable(`getaddrinfo ${code} api.twilo.com`), {
        endpoint: 'https://api.twilo.com/2010?token=s3cret',
      })
    ).toEqual([
      'the host "api.twilo.com" of "endpoint" was not found: check its spelling in the config, and that this machine\'s DNS resolves it',
    ]);
    expect(connectionHints(unreachable(code), {})).toEqual([
      "the provider's host was not found: check this machine's DNS and network connection",
    ]);
  });

  it.each([
    ['a timeout', unreachable('ETIMEDOUT')],
    ['a code inside a longer word', unreachable('XECONNREFUSEDX')],
    [
      'a provider refusal',
      new ConnectorError(ConnectorErrorCodes.InvalidConfig, { errorDescription: 'Twilio error 20003' }),
    ],
    ['no ConnectorError', new Error('ECONNREFUSED')],
  ])('gives no hint for %s', (_name, error) => {
    expect(connectionHints(error, { endpoint: 'http://127.0.0.1:4010' })).toEqual([]);
  });
});
