// GLM error bodies: {"error":{"code":"<string>","message":"..."}} with the HTTP status from the
// platform's error table (shared/glm-api/api-errors-2026-07-11.md). Messages are the table's text.

/** Business code -> [HTTP status, message]. `${field}` placeholders are filled by the helpers. */
export const ERROR_TABLE: Record<string, [number, string]> = {
  "500": [500, "内部错误"],
  "1000": [401, "身份验证失败"],
  "1001": [401, "Header 中未收到 Authentication 参数，无法进行身份验证"],
  "1003": [401, "Authentication Token 已过期，请重新生成/获取"],
  "1005": [401, "已开启二次认证保护，需要二次认证登录。"],
  "1113": [429, "您的账户已欠费，请充值后重试"],
  "1200": [500, "API 调用失败"],
  "1210": [400, "API 调用参数有误，请检查文档"],
  "1211": [400, "模型不存在，请检查模型代码"],
  "1212": [400, "当前模型不支持 ${field} 调用方式"],
  "1213": [400, "未正常接收到 ${field} 参数"],
  "1214": [400, "${field} 参数非法。请检查文档"],
  "1215": [400, "${field} 不能同时设置，请检查文档"],
  "1220": [403, "您无权访问 ${field}"],
  "1221": [400, "API ${field} 已下线"],
  "1222": [400, "API ${field} 不存在"],
  "1230": [500, "API 调用流程出错"],
  "1234": [500, "网络错误，错误id：${field}，请联系客服"],
  "1261": [400, "Prompt 超长"],
  "1301": [
    400,
    "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合",
  ],
  "1302": [429, "您的账户已达到速率限制，请您控制请求频率"],
  "1305": [429, "该模型当前访问量过大，请您稍后再试"],
  "1308": [429, "已达到使用上限。您的限额将在稍后重置"],
  "1309": [429, "您的 GLM Coding Plan 套餐已到期，暂无法使用，前往官方续订后即可恢复"],
  "1310": [429, "您已达到每周/每月使用上限，您的限额将在稍后重置"],
  "1311": [429, "当前订阅套餐暂未开放该模型权限"],
  // Web Search API codes (openapi-2026-07-11.json /paas/v4/web_search; statuses inferred [I]).
  "1701": [429, "网络搜索并发已达上限，请稍后重试或减少并发请求"],
  "1702": [500, "系统未找到可用的搜索引擎服务，请检查配置或联系管理员"],
  "1703": [400, "搜索引擎未返回有效数据，请调整查询条件"],
  "1313": [429, "您的账户当前使用模式不符合公平使用策略，请求频率已受到限制。"],
};

/** Default business code when a `status` fault names only an HTTP status. */
const DEFAULT_CODE_FOR_STATUS: Record<number, string> = {
  400: "1210",
  401: "1000",
  403: "1220",
  429: "1302",
  500: "500",
};

export function defaultCodeForStatus(status: number): string {
  return DEFAULT_CODE_FOR_STATUS[status] ?? String(status);
}

export function statusForCode(code: string): number {
  return ERROR_TABLE[code]?.[0] ?? 500;
}

export function messageForCode(code: string, field = ""): string {
  const template = ERROR_TABLE[code]?.[1] ?? "fake GLM error";
  return template.replace("${field}", field);
}

/** A rejection the route handlers throw; the server turns it into the error response. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message }, ...this.extra };
  }
}

/** 1210: parameters are wrong (the platform's generic message plus what exactly is wrong). */
export function badParams(detail: string): FakeApiError {
  return new FakeApiError(400, "1210", `${messageForCode("1210")}：${detail}`);
}

/** 1213: a required field is missing. */
export function missingField(field: string): FakeApiError {
  return new FakeApiError(400, "1213", messageForCode("1213", field));
}

/** 1214: a field has an illegal value (named in the message, with the rule that failed). */
export function invalidField(field: string, detail?: string): FakeApiError {
  return new FakeApiError(400, "1214", messageForCode("1214", field) + (detail ? `（${detail}）` : ""));
}

export function unknownModel(model: string): FakeApiError {
  return new FakeApiError(400, "1211", `${messageForCode("1211")}：${model}`);
}

export function promptTooLong(detail: string): FakeApiError {
  return new FakeApiError(400, "1261", `${messageForCode("1261")}：${detail}`);
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}
