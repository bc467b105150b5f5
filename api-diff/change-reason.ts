/**
 * Why one change of the published contract breaks existing producers and consumers or not (pure).
 * api-smart-diff classifies each change; this names the reason in the words a reviewer uses
 * (removed operation, new required field or parameter, narrowed type or enum, removed response
 * field, changed status code) and settles the bounds it leaves unclassified: a tighter bound on
 * what a request may send breaks producers, a looser bound on what a response may hold breaks
 * consumers.
 */
import type { Diff } from 'api-smart-diff';
import { HTTP_METHODS } from '../spec-renderer/document';

export type Severity = 'breaking' | 'non-breaking' | 'unclassified';

export interface Classification {
  readonly severity: Severity;
  readonly reason: string;
}

const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
const UPPER_BOUNDS: ReadonlySet<string> = new Set(['maxLength', 'maximum', 'maxItems', 'maxProperties']);
const LOWER_BOUNDS: ReadonlySet<string> = new Set(['minLength', 'minimum', 'minItems', 'minProperties']);

/** Where in the published spec a change sits. */
export interface ChangeSite {
  /** `PUT /streams/{stream-name}/record`, when the change is inside one operation or removes a path. */
  readonly operation?: string;
  readonly side: 'request' | 'response' | 'other';
}

export function siteOf(path: readonly (string | number)[]): ChangeSite {
  const keys = path.map(String);
  const operation =
    keys[0] === 'paths' && keys.length >= 3 && METHODS.has(keys[2])
      ? `${keys[2].toUpperCase()} ${keys[1]}`
      : keys[0] === 'paths' && keys.length === 2
        ? keys[1]
        : undefined;
  const side = keys.includes('responses')
    ? 'response'
    : keys.includes('requestBody') || keys.includes('parameters')
      ? 'request'
      : 'other';
  return { ...(operation === undefined ? {} : { operation }), side };
}

/** A numeric bound that was added, removed or moved: is what it allows now narrower? */
function boundNarrowed(key: string, diff: Diff): boolean | undefined {
  const upper = UPPER_BOUNDS.has(key);
  if (!upper && !LOWER_BOUNDS.has(key)) return undefined;
  if (diff.action === 'add') return typeof diff.after === 'number';
  if (diff.action === 'remove') return false;
  if (typeof diff.before !== 'number' || typeof diff.after !== 'number') return undefined;
  return upper ? diff.after < diff.before : diff.after > diff.before;
}

/**
 * A numeric bound or a pattern, on the request or response side: the reason in words, and the
 * severity for when api-smart-diff leaves it unclassified.
 */
function boundOrPattern(diff: Diff, key: string, side: ChangeSite['side']): Classification | undefined {
  if (side === 'other') return undefined;
  const narrowed = boundNarrowed(key, diff);
  if (narrowed !== undefined) {
    const breaks = side === 'request' ? narrowed : !narrowed;
    const what = `${narrowed ? 'narrowed' : 'widened'} ${key} in a ${side}`;
    return {
      severity: breaks ? 'breaking' : 'non-breaking',
      reason: breaks
        ? `${what}: ${side === 'request' ? 'requests that were valid are refused' : 'consumers may get values they do not expect'}`
        : what,
    };
  }
  if (key === 'pattern' && side === 'request') {
    return diff.action === 'remove'
      ? { severity: 'non-breaking', reason: 'pattern removed from a request' }
      : { severity: 'breaking', reason: 'new or changed pattern in a request: values that were valid may be refused' };
  }
  return undefined;
}

export function classifyChange(diff: Diff): Classification {
  const keys = diff.path.map(String);
  const key = keys[keys.length - 1] ?? '';
  const parent = keys[keys.length - 2] ?? '';
  const { side } = siteOf(diff.path);
  const severity: Severity =
    diff.type === 'breaking' ? 'breaking' : diff.type === 'unclassified' ? 'unclassified' : 'non-breaking';

  if (keys[0] === 'paths' && (keys.length === 2 || (keys.length === 3 && METHODS.has(key)))) {
    if (diff.action === 'remove') return { severity, reason: 'removed operation' };
    if (diff.action === 'add') return { severity, reason: 'new operation' };
  }
  if (parent === 'responses' && keys.includes('paths')) {
    if (diff.action === 'remove') return { severity, reason: `changed status code: ${key} is no longer answered` };
    if (diff.action === 'add') return { severity, reason: `new status code ${key}` };
  }
  if (parent === 'required' && side === 'request' && diff.action === 'add')
    return { severity, reason: `new required field \`${String(diff.after)}\`` };
  if (parent === 'required' && side === 'response' && diff.action === 'remove')
    return { severity, reason: `response field \`${String(diff.before)}\` no longer always present` };
  if (key === 'required' && parent === 'requestBody' && diff.after === true)
    return { severity, reason: 'request body now required' };
  if (key === 'required' && parent !== 'properties' && side === 'request' && diff.after === true)
    return { severity, reason: 'new required parameter' };
  if (
    parent === 'parameters' &&
    diff.action === 'add' &&
    typeof diff.after === 'object' &&
    diff.after !== null &&
    (diff.after as { required?: unknown }).required === true
  ) {
    return { severity, reason: 'new required parameter' };
  }
  if (key === 'type' && parent !== 'properties' && diff.action === 'replace')
    return {
      severity,
      reason: `${severity === 'breaking' ? 'narrowed' : 'changed'} type: ${String(diff.before)} → ${String(diff.after)}`,
    };
  if (parent === 'enum' && side === 'request' && diff.action === 'remove')
    return { severity, reason: `narrowed enum: ${String(diff.before)} is no longer accepted` };
  if (parent === 'enum' && side === 'response' && diff.action === 'add')
    return { severity, reason: `new enum value ${String(diff.after)} in a response` };
  if (parent === 'properties' && side === 'response' && diff.action === 'remove')
    return { severity, reason: `removed response field \`${key}\`` };
  if (parent === 'properties' && side === 'request' && diff.action === 'add')
    return { severity, reason: `new optional field \`${key}\`` };
  const bound = boundOrPattern(diff, key, side);
  if (bound !== undefined) return severity === 'unclassified' ? bound : { severity, reason: bound.reason };
  if (severity === 'unclassified') return { severity, reason: 'not classified by the diff library: review it' };
  if (diff.type === 'annotation') return { severity, reason: 'documentation' };
  if (diff.type === 'deprecated') return { severity, reason: 'deprecation' };
  return { severity, reason: `${diff.action} of \`${key}\`` };
}
