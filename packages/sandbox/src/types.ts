import { providerNames, type ProviderName } from '@sms-suite/catalog';

import type { OutageMode, Outages } from './outages';

/** The providers the sandbox speaks: every provider of the catalog (its emulators are keyed by this type). */
export type SandboxProvider = ProviderName;

export const sandboxProviders: readonly SandboxProvider[] = providerNames;

/** One accepted message, as the provider would have delivered it. */
export type InboxEntry = {
  /** Sandbox message id, also what the provider reply carries (sid, BizId, SerialNo, ...). */
  id: string;
  provider: SandboxProvider;
  /** ISO time. */
  receivedAt: string;
  /** The recipient exactly as the connector sent it. */
  to: string;
  /** Rendered text (text-based providers, and http when `message` is present). */
  text?: string;
  /** Aliyun TemplateCode / Tencent TemplateId; for http without `message`, the usage type (`Generic`). */
  templateCode?: string;
  /** Aliyun TemplateParam / Tencent TemplateParamSet; for http without `message`, the payload. */
  templateParams?: Record<string, string> | string[];
  /** From / MessagingServiceSid / SignName / sign / sender / from. */
  sender?: string;
  /** What a handset would see go wrong, e.g. non-GSM text sent without unicode encoding. */
  warnings?: string[];
  /** The parsed request body (secrets removed). */
  raw?: unknown;
};

export type Sandbox = {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Accepted messages, oldest first (the newest `inboxLimit` are kept). */
  inbox: readonly InboxEntry[];
  /** The value to put in the connector config's `endpoint`. */
  endpointFor(provider: SandboxProvider): string;
  /** The providers in an outage now, and how each fails (a snapshot; change it with setOutage). */
  readonly outages: Readonly<Outages>;
  /**
   * From the next request on, `provider` fails with `mode` whatever it is sent; the other providers
   * are untouched. Throws on a mode the provider does not have (`fraud-block` is Twilio's).
   */
  setOutage(provider: SandboxProvider, mode: OutageMode): void;
  /** Ends the outage of `provider`, or of every provider. Requests already held stay held. */
  clearOutage(provider?: SandboxProvider): void;
  /** Requests each provider received since the start (or the last reset), whatever their outcome. */
  requestCounts(): Record<SandboxProvider, number>;
  /** Sets every request count back to 0. */
  resetRequestCounts(): void;
  /** Stops the server, ending held requests and open connections at once. */
  close(): Promise<void>;
};

export type SandboxOptions = {
  /** 0 or undefined = a free port. */
  port?: number;
  onMessage?: (entry: InboxEntry) => void;
  /** One line per request/outcome; never a secret. */
  log?: (line: string) => void;
  /** Providers in an outage from the start (see Sandbox.setOutage). */
  outages?: Outages;
};
