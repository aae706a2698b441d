// The bench's facts per provider of the catalog (packages/catalog, which names the providers, their
// titles and the official packages ours replaces): the config both sides get (the official
// connector's config, which ours must accept unchanged), the message, the hosts the two sides call,
// and the success reply the local responder answers with (the provider's documented success body).
// Both connectors of a pair send to the same host over the same transport.
import { catalog } from '../../packages/catalog/lib/catalog.js';

const templates = (content) =>
  ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
    usageType,
    content: content.replace('{type}', usageType),
  }));

const templateCodes = (codeOf) =>
  ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType, index) => ({
    usageType,
    templateCode: codeOf(index),
  }));

const json = (status, body, headers = {}) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const message = (to) => ({ to, type: 'SignIn', payload: { code: '123456' } });

/** @type {Record<string, Profile>} keyed by the catalog's provider name */
const profiles = {
  twilio: {
    hosts: ['api.twilio.com'],
    route: { method: 'POST', path: /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/ },
    config: {
      accountSID: 'AC0123456789abcdef0123456789abcdef',
      authToken: '0123456789abcdef0123456789abcdef',
      fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
      templates: templates('Your Logto {type} code is {{code}}. It expires in 10 minutes.'),
    },
    message: message('16502530000'),
    // https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
    reply: json(
      201,
      {
        account_sid: 'AC0123456789abcdef0123456789abcdef',
        api_version: '2010-04-01',
        body: 'Your Logto SignIn code is 123456. It expires in 10 minutes.',
        date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
        date_sent: null,
        date_updated: 'Thu, 24 Aug 2023 05:01:45 +0000',
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: null,
        messaging_service_sid: 'MG0123456789abcdef0123456789abcdef',
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid: 'SM1234567890abcdef1234567890abcdef',
        status: 'accepted',
        subresource_uris: {
          media:
            '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1234567890abcdef1234567890abcdef/Media.json',
        },
        to: '+16502530000',
        uri: '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1234567890abcdef1234567890abcdef.json',
      },
      { 'twilio-request-id': 'RQ1234567890abcdef1234567890abcdef' }
    ),
  },

  aliyun: {
    hosts: ['dysmsapi.aliyuncs.com'],
    route: { method: 'POST', path: /^\/(\?.*)?$/ },
    config: {
      accessKeyId: 'LTAI5tBenchmark0AccessKey',
      accessKeySecret: 'benchmarkAccessKeySecret0123456',
      signName: '阿里云短信测试',
      templates: templateCodes((index) => `SMS_15495090${index}`),
    },
    message: message('8613800138000'),
    // https://help.aliyun.com/document_detail/419273.html (SendSms, response example)
    reply: json(200, {
      Message: 'OK',
      RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
      Code: 'OK',
      BizId: '900619746936498440^0',
    }),
  },

  tencent: {
    hosts: ['sms.tencentcloudapi.com'],
    route: { method: 'POST', path: /^\/$/ },
    config: {
      accessKeyId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3benchmark',
      accessKeySecret: 'Gu5t9xGARNpq86cd98joQYCN3benchmark',
      signName: '腾讯云',
      sdkAppId: '1400000000',
      region: 'ap-guangzhou',
      templates: templateCodes((index) => `100000${index + 1}`),
    },
    message: message('8613800138000'),
    // https://cloud.tencent.com/document/api/382/55981 (SendSms, example 1 output)
    reply: json(200, {
      Response: {
        SendStatusSet: [
          {
            SerialNo: '5000:1045710669157053657849499619',
            PhoneNumber: '+8613800138000',
            Fee: 1,
            SessionContext: '',
            Code: 'Ok',
            Message: 'send success',
            IsoCode: 'CN',
          },
        ],
        RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
      },
    }),
  },

  http: {
    hosts: ['sms-gateway.example.com'],
    route: { method: 'POST', path: /^\/send$/ },
    config: {
      endpoint: 'https://sms-gateway.example.com/send',
      authorization: 'Bearer bench-token-0123456789abcdef',
    },
    message: message('16502530000'),
    reply: json(200, { messageId: 'msg_0123456789' }),
  },

  smsaero: {
    hosts: ['gate.smsaero.ru'],
    route: { method: 'POST', path: /^\/v2\/sms\/send$/ },
    config: {
      email: 'bench@example.com',
      apiKey: 'benchApiKey0123456789abcdef',
      senderName: 'SMS Aero',
      templates: templates('Your Logto {type} code is {{code}}. It expires in 10 minutes.'),
    },
    message: message('79161234567'),
    // https://smsaero.ru/integration/documentation/api/ (sms/send, response)
    reply: json(200, {
      success: true,
      data: {
        id: 12345,
        from: 'SMS Aero',
        number: '79161234567',
        text: 'Your Logto SignIn code is 123456. It expires in 10 minutes.',
        status: 8,
        extendStatus: 'moderation',
        channel: 'FREE SIGN',
        cost: 4.79,
        dateCreate: 1697533302,
        dateSend: 1697533302,
      },
      message: null,
    }),
  },

  gatewayapi: {
    hosts: ['gatewayapi.com'],
    route: { method: 'POST', path: /^\/rest\/mtsms$/ },
    config: {
      endpoint: 'https://gatewayapi.com/rest/mtsms',
      apiToken: 'benchGatewayApiToken0123456789abcdef',
      sender: 'ExampleCo',
      templates: templates('Your Logto {type} code is {{code}}. It expires in 10 minutes.'),
    },
    message: message('4520123456'),
    // https://gatewayapi.com/docs/apis/rest/ (POST /rest/mtsms, response)
    reply: json(200, { ids: [421332671], usage: { countries: { DK: 1 }, currency: 'DKK', total_cost: 0.14 } }),
  },

  vonage: {
    hosts: ['rest.nexmo.com'],
    route: { method: 'POST', path: /^\/sms\/json$/ },
    config: {
      apiKey: 'a1b2c3d4',
      apiSecret: 'A1b2C3d4E5f6G7h8',
      brandName: 'ExampleCo',
      templates: templates('Your Logto {type} code is {{code}}. It expires in 10 minutes.'),
    },
    message: message('447911123456'),
    // https://developer.vonage.com/en/api/sms (send an SMS, 200 response)
    reply: json(200, {
      'message-count': '1',
      messages: [
        {
          to: '447911123456',
          'message-id': '0A0000000123ABCD1',
          status: '0',
          'remaining-balance': '3.14159265',
          'message-price': '0.03330000',
          network: '23410',
        },
      ],
    }),
  },
};

/**
 * The providers the bench can measure: each catalog row with a profile above, its title as the label
 * and the first official package it replaces as the one to compare with.
 * @type {Record<string, Provider>}
 */
export const providers = Object.fromEntries(
  catalog
    .filter(({ name }) => profiles[name])
    .map(({ name, title, official }) => [name, { label: title, official: official[0].packageName, ...profiles[name] }])
);

/**
 * The routing connector's send path in the bench: one provider, in the `*` route, with the config
 * its single connector gets above, so that the router and our single connector make the same request
 * to the same host. A provider's config inside the router may not set `defaultRegion` or a
 * destination-policy field (the router reads the number and applies the policy once per send); no
 * profile above sets any.
 */
export const routedProviderKey = 'twilio';

/** The router config of the bench: `{ providers: { twilio: { use, config } }, routes: [{ countries: ['*'], … }] }`. */
export const routerConfigFor = (key) => ({
  providers: { [key]: { use: key, config: providers[key].config } },
  routes: [{ countries: ['*'], providers: [key] }],
});

/** Every host a connector of the suite may call, mapped to its provider key. */
export const hostToProvider = new Map(
  Object.entries(providers).flatMap(([key, provider]) => provider.hosts.map((host) => [host, key]))
);

/**
 * @typedef {object} Profile
 * @property {string[]} hosts             host names both sides call (redirected to 127.0.0.1)
 * @property {{ method: string, path: RegExp }} route   what a send must look like to be answered
 * @property {Record<string, unknown>} config
 * @property {{ to: string, type: string, payload: Record<string, unknown> }} message
 * @property {{ status: number, headers: Record<string, string>, body: string }} reply
 *
 * @typedef {Profile & { label: string, official: string }} Provider   label and official npm name from the catalog
 */
