import { credentials } from '../credentials';
import {
  contentKind,
  formFields,
  isRecord,
  magicResult,
  reply,
  type HandlerResult,
  type MagicFailures,
  type ProviderContext,
  type Reply,
  type SandboxRequest,
} from '../exchange';
import { verifyAliyunRpcRequest } from '../verify/aliyun-rpc';

/** Aliyun Dysmsapi `SendSms` (version 2017-05-25), RPC style: `GET|POST /` with signed parameters. */
const hostId = 'dysmsapi.aliyuncs.com';

type AliyunBody = Record<string, string>;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);

/** Aliyun answers in the `Format` asked for: JSON, or XML (its default). */
const render = (status: number, body: AliyunBody, format: string, root: string): Reply =>
  format.toUpperCase() === 'JSON'
    ? { status, headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify(body) }
    : {
        status,
        headers: { 'content-type': 'text/xml;charset=utf-8' },
        body: `<?xml version='1.0' encoding='UTF-8'?><${root}>${Object.entries(body)
          .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
          .join('')}</${root}>`,
      };

const recommend = (code: string) =>
  `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Dysmsapi`;

export const codeOf = (failure: Reply): string => {
  const code = /"Code":"([^"]+)"|<Code>([^<]+)<\/Code>/.exec(failure.body);
  return `${failure.status} ${code?.[1] ?? code?.[2] ?? ''}`;
};

export const createAliyunReplies = (context: ProviderContext, format: string) => {
  /** Gateway failures: 4xx/5xx with RequestId, HostId, Code, Message, Recommend. */
  const gatewayError = (status: number, code: string, message: string): Reply =>
    render(
      status,
      {
        RequestId: context.ids.aliyunRequestId(),
        HostId: hostId,
        Code: code,
        Message: message,
        Recommend: recommend(code),
      },
      format,
      'Error'
    );
  /** Business failures: HTTP 200 with Code other than OK. */
  const businessError = (code: string, message: string): Reply =>
    render(200, { RequestId: context.ids.aliyunRequestId(), Code: code, Message: message }, format, 'SendSmsResponse');
  const failures: MagicFailures = {
    'rate-limited': () =>
      businessError('isv.BUSINESS_LIMIT_CONTROL', '触发小时级流控Permits:5 (hourly flow control triggered)'),
    'invalid-number': () => businessError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号 (invalid mobile number)'),
    unapproved: () =>
      businessError(
        'isv.SMS_TEMPLATE_ILLEGAL',
        '该账号下找不到对应模板 (the template does not exist in this account or is not approved)'
      ),
    'insufficient-balance': () => businessError('isv.AMOUNT_NOT_ENOUGH', '账户余额不足 (insufficient account balance)'),
    'server-error': () =>
      gatewayError(
        500,
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.'
      ),
  };
  return { gatewayError, businessError, failures };
};

const refuse = (failure: Reply, why: string): HandlerResult => reply(failure, `${codeOf(failure)} (${why})`);

const phonePattern = /^(\+|00)?\d{7,15}$/;
const verificationParam = /^[A-Za-z0-9]+$/;

/** The RPC parameters of a call: the query, and the form body of a POST. */
export const aliyunParams = (request: SandboxRequest): Record<string, string> => ({
  ...Object.fromEntries(request.query),
  ...(request.method === 'POST' && contentKind(request) === 'form' ? formFields(request.body) : {}),
});

/** The reply format a call asks for: `Format`, XML by default. */
export const aliyunFormat = (params: Readonly<Record<string, string>>): string => params.Format ?? 'XML';

export const handleAliyun = (request: SandboxRequest, context: ProviderContext): HandlerResult => {
  const params = aliyunParams(request);
  const format = aliyunFormat(params);
  const { gatewayError, businessError, failures } = createAliyunReplies(context, format);

  if (request.path !== '/') {
    return refuse(
      gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
      `path ${request.path}; RPC calls go to /`
    );
  }
  if (request.method !== 'GET' && request.method !== 'POST') {
    return refuse(
      gatewayError(400, 'UnsupportedHTTPMethod', `Specified HTTP method ${request.method} is not supported.`),
      request.method
    );
  }
  if (!params.Action) {
    return refuse(gatewayError(400, 'MissingAction', 'Action is mandatory for this action.'), 'no Action');
  }
  if (params.Action !== 'SendSms') {
    return refuse(
      gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
      `Action ${params.Action}; the sandbox serves SendSms`
    );
  }
  if (params.Version !== '2017-05-25') {
    return refuse(
      params.Version
        ? gatewayError(400, 'InvalidVersion', 'Specified parameter Version is not valid.')
        : gatewayError(400, 'MissingVersion', 'Version is mandatory for this action.'),
      `Version ${params.Version ?? '(none)'}; SendSms is 2017-05-25`
    );
  }

  const authFailure = verifyAliyunRpcRequest({
    method: request.method,
    params,
    secrets: { [credentials.aliyun.accessKeyId]: credentials.aliyun.accessKeySecret },
    nowMs: context.nowMs,
    nonces: context.aliyunNonces,
  });
  if (authFailure) {
    return refuse(gatewayError(authFailure.status, authFailure.code, authFailure.message), 'signature check');
  }

  for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode'] as const) {
    if (!params[name]?.trim()) {
      return refuse(gatewayError(400, `Missing${name}`, `${name} is mandatory for this action.`), `no ${name}`);
    }
  }
  const numbers = (params.PhoneNumbers ?? '').split(',').map((number) => number.trim());
  if (numbers.length > 1000) {
    return refuse(
      businessError('isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制 (more than 1000 numbers)'),
      `${numbers.length} numbers`
    );
  }
  const malformed = numbers.find((number) => !phonePattern.test(number));
  if (malformed !== undefined) {
    return refuse(
      businessError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号 (invalid mobile number)'),
      `"${malformed}" is not a number`
    );
  }

  let templateParams: Record<string, string> | undefined;
  if (params.TemplateParam !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.TemplateParam);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed) || !Object.values(parsed).every((value) => typeof value === 'string')) {
      return refuse(
        businessError(
          'isv.INVALID_JSON_PARAM',
          'JSON参数不合法，只接受字符串值 (TemplateParam must be a JSON object of strings)'
        ),
        'TemplateParam is not a JSON object of strings'
      );
    }
    templateParams = parsed as Record<string, string>;
    // Sandbox templates are verification-code templates, which accept letters and digits only (logto-io/logto#7121).
    const offending = Object.entries(templateParams).find(([, value]) => !verificationParam.test(value));
    if (offending) {
      return refuse(
        businessError('isv.INVALID_PARAMETERS', 'params must be [a-zA-Z0-9] for verification sms'),
        `TemplateParam "${offending[0]}" is not letters and digits`
      );
    }
  }

  const magic = magicResult(numbers, failures, codeOf);
  if (magic) {
    return magic;
  }

  const bizId = context.ids.aliyunBizId();
  const { AccessKeyId: _accessKeyId, Signature: _signature, ...raw } = params;
  return reply(
    render(
      200,
      { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: context.ids.aliyunRequestId() },
      format,
      'SendSmsResponse'
    ),
    `200 OK BizId ${bizId} for ${numbers.join(', ')}`,
    numbers.map((to) => ({
      id: bizId,
      to,
      templateCode: params.TemplateCode,
      ...(templateParams && { templateParams }),
      sender: params.SignName,
      raw,
    }))
  );
};
