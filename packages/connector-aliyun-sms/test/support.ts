/**
 * Test helpers. The signer here is written independently of the kit's (byte-wise encoding, Buffer
 * ordering, straight from Aliyun's documented steps) and is itself checked against the published
 * vectors in ./fixtures, so a send whose `Signature` it reproduces is signed the way Aliyun checks it.
 */
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

import type { AliyunConfig } from '../src/provider';

const unreserved = /[A-Za-z0-9\-_.~]/;

/** RFC 3986, byte by byte: unreserved characters stay, every other UTF-8 byte becomes `%XY`. */
export const referenceEncode = (value: string): string =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return byte < 0x80 && unreserved.test(character)
        ? character
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

export const referenceStringToSign = (method: string, params: Record<string, string>): string => {
  const pairs = Object.entries(params)
    .filter(([key]) => key !== 'Signature')
    .map(([key, value]) => [referenceEncode(key), referenceEncode(value)] as const)
    .sort(([left], [right]) => Buffer.compare(Buffer.from(left), Buffer.from(right)));
  const canonical = pairs.map(([key, value]) => `${key}=${value}`).join('&');
  return `${method}&${referenceEncode('/')}&${referenceEncode(canonical)}`;
};

export const referenceSignature = (method: string, params: Record<string, string>, secret: string): string =>
  createHmac('sha1', `${secret}&`).update(referenceStringToSign(method, params), 'utf8').digest('base64');

export type RpcVector = {
  source: string;
  inputs: { httpMethod: 'GET' | 'POST'; accessKeySecret: string; params: Record<string, string> };
  expected: { canonicalizedQueryString: string; stringToSign: string; signature: string; hmacKey?: string };
};

const fixtures = new URL('fixtures/', import.meta.url);
const rpcVectorPrefix = 'aliyun-rpc-hmacsha1-';

/**
 * Every published RPC vector in ./fixtures, by its short name (`sendsms`): read from the folder, so a
 * vector added there is tested without being listed here.
 */
export const rpcVectors: Record<string, RpcVector> = Object.fromEntries(
  readdirSync(fixtures)
    .filter((file) => file.startsWith(rpcVectorPrefix) && file.endsWith('.json'))
    .map((file) => [
      file.slice(rpcVectorPrefix.length, -'.json'.length),
      JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as RpcVector,
    ])
);

/**
 * Decodes an `application/x-www-form-urlencoded` body strictly: every name once, no `+` (Aliyun's
 * encoding writes a space as %20 and a plus as %2B), every escape valid.
 */
export const parseForm = (body: string): Record<string, string> => {
  if (body.includes('+')) {
    throw new Error(`form body contains a raw "+": ${body}`);
  }
  const form: Record<string, string> = {};
  for (const pair of body.split('&')) {
    const [rawKey = '', rawValue = '', ...rest] = pair.split('=');
    if (rest.length > 0) {
      throw new Error(`form pair with a raw "=": ${pair}`);
    }
    const key = decodeURIComponent(rawKey);
    if (key in form) {
      throw new Error(`form field ${key} sent twice`);
    }
    form[key] = decodeURIComponent(rawValue);
  }
  return form;
};

/** Credentials shaped like real ones; the secret has `+`, `/` and `=` so encoding mistakes show. */
export const accessKeyId = 'LTAI5tFakeKeyId0123456';
export const accessKeySecret = 'fAkE+Secret/Value=0123456789abc';

export const testConfig = {
  accessKeyId,
  accessKeySecret,
  signName: '阿里云短信测试',
  templates: [
    { usageType: 'Generic', templateCode: { china: 'SMS_100000', overseas: 'SMS_900000' } },
    { usageType: 'SignIn', templateCode: { china: 'SMS_100001', overseas: 'SMS_900001' } },
    { usageType: 'SignIn', locale: 'en', templateCode: { china: 'SMS_110001', overseas: 'SMS_910001' } },
    { usageType: 'Register', templateCode: 'SMS_500002' },
  ],
} satisfies Partial<AliyunConfig> & Record<string, unknown>;

export const uuidV4 = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;
export const timestampFormat = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
