/**
 * The local provider sandbox of `sms-connector sandbox`: one HTTP server on 127.0.0.1 that speaks
 * the part of each provider's API the connectors use, checks credentials and signatures the way the
 * provider does, answers with the provider's real shapes, fails on purpose for magic numbers, and
 * keeps every accepted message in an inbox. See SANDBOX.md.
 */
export { startSandbox } from './server';
export { sandboxCredentials } from './credentials';
export { magicNumbers, magicFor, type MagicNumber, type MagicOutcome } from './magic';
export { formatInboxEntry } from './inbox';
export { sandboxProviders, type InboxEntry, type Sandbox, type SandboxOptions, type SandboxProvider } from './types';
