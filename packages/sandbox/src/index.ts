/**
 * The local provider sandbox: one HTTP server on 127.0.0.1 that speaks the part of each provider's
 * API the connectors use, checks credentials and signatures the way the provider does, answers with
 * the provider's real shapes, fails on purpose for magic numbers, and keeps every accepted message in
 * an inbox; one provider can be put in an outage while the others work. Used by the CLI (`sms-connector sandbox`, `send --sandbox`, `demo`), the tests and the
 * `sms-sandbox` command. See README.md and SANDBOX.md.
 */
export { startSandbox, sandboxEndpoint } from './server';
export { sandboxCredentials } from './credentials';
export { magicNumbers, magicFor, type MagicNumber, type MagicOutcome } from './magic';
export {
  outageDescriptions,
  outageModes,
  outageProvidersFor,
  parseOutage,
  parseOutages,
  readOutage,
  type OutageMode,
  type Outages,
  type OutageSetting,
} from './outages';
export { formatInboxEntry } from './inbox';
export { sandboxProviders, type InboxEntry, type Sandbox, type SandboxOptions, type SandboxProvider } from './types';
export {
  arrivalText,
  bannerLines,
  defaultSandboxPort,
  formatColumns,
  isPortNumber,
  outageLines,
  outageModeLines,
  plainStyle,
  portProblem,
  startSandboxConsole,
  stoppedLine,
  untilStopSignal,
  type ConsoleStyle,
  type SandboxConsole,
  type SandboxConsoleOptions,
} from './console';
