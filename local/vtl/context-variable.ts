/** `$context`: generated values for one request, overridden by what the caller knows. */
import { randomUUID } from 'node:crypto';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** API Gateway's $context.requestTime, in Common Log Format: 28/Nov/2026:16:08:39 +0000. */
export function commonLogTime(date: Date): string {
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === '__proto__') continue;
    out[key] = isTree(value) && isTree(out[key]) ? deepMerge(out[key] as Tree, value) : value;
  }
  return out;
}

export function generatedContext(now = new Date()): Tree {
  const requestId = randomUUID();
  return {
    requestId,
    extendedRequestId: requestId.replace(/-/g, '').slice(0, 16),
    requestTime: commonLogTime(now),
    requestTimeEpoch: now.getTime(),
    resourcePath: '',
    resourceId: '',
    path: '',
    httpMethod: '',
    stage: '',
    apiId: 'local',
    accountId: '000000000000',
    protocol: 'HTTP/1.1',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    identity: { sourceIp: '127.0.0.1', userAgent: '', apiKey: '', apiKeyId: '', caller: '', user: '', accountId: '' },
    error: { message: '', messageString: '""', responseType: '', validationErrorString: '' },
  };
}
