/** `$context`: generated values for one request, overridden by what the caller knows. */
import { randomUUID } from 'node:crypto';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');
const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** API Gateway's $context.requestTime, in Common Log Format: 28/Nov/2026:16:08:39 +0000. */
export function commonLogTime(date: Date): string {
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of plain data, so a template's #set never writes into the caller's objects. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  return isTree(value) ? deepMerge({}, value) : value;
}

/** `over` merged into a copy of `base`, nested maps merged key by key; neither input is changed. */
export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(base)) if (!BLOCKED_KEYS.has(key)) out[key] = copy(value);
  for (const [key, value] of Object.entries(over)) {
    if (BLOCKED_KEYS.has(key)) continue;
    out[key] = isTree(value) && isTree(out[key]) ? deepMerge(out[key] as Tree, value) : copy(value);
  }
  return out;
}

/** The values API Gateway fills in for every request; a local gateway overrides what it knows. */
export function generatedContext(now = new Date()): Tree {
  const requestId = randomUUID();
  return {
    requestId,
    extendedRequestId: Buffer.from(requestId.replace(/-/g, ''), 'hex')
      .toString('base64')
      .replace(/[+/=]/g, '')
      .slice(0, 16),
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

/**
 * The generated values with the caller's merged over them. `error.messageString` is the message
 * as a JSON string (with its quotes): derived from `error.message` when the caller gives only that.
 */
export function buildContext(overrides: Tree = {}, now = new Date()): Tree {
  const context = deepMerge(generatedContext(now), overrides);
  const givenError = overrides.error;
  const error = context.error;
  if (isTree(error) && typeof error.message === 'string' && !(isTree(givenError) && 'messageString' in givenError)) {
    error.messageString = JSON.stringify(error.message);
  }
  return context;
}
