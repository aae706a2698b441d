/**
 * The outages of one sandbox: which provider fails and how, changed through the Sandbox API or, for
 * a sandbox in another process (the commands'), over HTTP at `/outages`.
 */
import { isRecord, jsonReply, parseJsonBody, type Reply } from './exchange';
import {
  outageDescriptions,
  outageModes,
  outageProvidersFor,
  readOutage,
  readOutageProvider,
  type OutageMode,
  type Outages,
} from './outages';
import { sandboxProviders, type SandboxProvider } from './types';

/** Each mode with what it does and who has it, for the index and the control endpoint's errors. */
export const outageModeList = () =>
  outageModes.map((mode) => ({ mode, description: outageDescriptions[mode], providers: outageProvidersFor(mode) }));

/** `PUT /outages/<provider>` takes `{ "mode": "unavailable" }`: the mode, or undefined for any other body. */
const modeOfBody = (body: Buffer): unknown => {
  const parsed = parseJsonBody(body);
  return parsed.ok && isRecord(parsed.value) ? parsed.value.mode : undefined;
};

/** What `/outages` answers a method it does not serve. */
const servedMethods =
  'GET /outages lists the outages, DELETE /outages clears them all; PUT /outages/<provider> with {"mode": "…"} sets one, DELETE /outages/<provider> clears it.';

export type OutageBoard = ReturnType<typeof createOutageBoard>;

/**
 * Starts with `initial` (checked: a wrong pair throws, so startSandbox rejects before listening);
 * `log` gets one line per change.
 */
export const createOutageBoard = ({ initial, log }: { initial: Outages; log: (line: string) => void }) => {
  const outages = new Map<SandboxProvider, OutageMode>();
  for (const [provider, mode] of Object.entries(initial)) {
    const setting = readOutage(provider, mode);
    if (!setting.ok) {
      throw new Error(`Cannot start the sandbox with this outage: ${setting.problem}.`);
    }
    outages.set(setting.provider, setting.mode);
  }

  const active = (): Outages => Object.fromEntries(outages);

  /** Setting a mode replaces the provider's previous one; the API is typed, but JS callers are checked too. */
  const set = (provider: SandboxProvider, mode: OutageMode) => {
    const setting = readOutage(provider, mode);
    if (!setting.ok) {
      throw new Error(`Cannot set the outage: ${setting.problem}.`);
    }
    outages.set(setting.provider, setting.mode);
    log(`outage ${setting.provider}: ${setting.mode} (until cleared)`);
  };

  const clear = (provider?: SandboxProvider) => {
    if (provider === undefined) {
      const cleared = outages.size;
      outages.clear();
      log(`outages cleared (${cleared})`);
      return;
    }
    const checked = readOutageProvider(provider);
    if (!checked.ok) {
      throw new Error(`Cannot clear the outage: ${checked.problem}.`);
    }
    if (outages.delete(checked.provider)) {
      log(`outage ${checked.provider} cleared`);
    }
  };

  /** `GET|DELETE /outages`, `PUT|DELETE /outages/<provider>`: every success answers the outages now in force. */
  const control = (method: string, pathname: string, body: Buffer): Reply => {
    const invalid = (problem: string) =>
      jsonReply(400, { error: `${problem}.`, providers: sandboxProviders, modes: outageModeList() });
    if (pathname === '/outages') {
      if (method === 'GET') {
        return jsonReply(200, active());
      }
      if (method === 'DELETE') {
        clear();
        return jsonReply(200, active());
      }
      return jsonReply(405, { error: servedMethods });
    }
    const provider = pathname.slice('/outages/'.length);
    if (method === 'PUT') {
      const setting = readOutage(provider, modeOfBody(body));
      if (!setting.ok) {
        return invalid(setting.problem);
      }
      set(setting.provider, setting.mode);
      return jsonReply(200, active());
    }
    if (method === 'DELETE') {
      const checked = readOutageProvider(provider);
      if (!checked.ok) {
        return invalid(checked.problem);
      }
      clear(checked.provider);
      return jsonReply(200, active());
    }
    return jsonReply(405, { error: servedMethods });
  };

  return { modeOf: (provider: SandboxProvider) => outages.get(provider), active, set, clear, control };
};
