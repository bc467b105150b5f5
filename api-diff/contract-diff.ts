/**
 * The contract diff (pure): two published specs compared by api-smart-diff, each change under
 * `paths` (where schemas, parameters and responses are resolved in place) classified with its
 * reason. Changes inside components/schemas, parameters, … are left out: they are the same changes
 * seen again, without the operation they affect.
 */
import { apiCompare, type Diff } from 'api-smart-diff';
import { isJsonObject, type JsonValue, type OpenApiDocument } from '../spec-renderer';
import { classifyChange, siteOf, type Severity } from './change-reason';

export interface ContractChange {
  readonly severity: Severity;
  /** Why it breaks existing producers or consumers, or why not. */
  readonly reason: string;
  /** `PUT /streams/{stream-name}/record`, when the change belongs to one operation. */
  readonly operation?: string;
  /** What changed, in the diff library's words. */
  readonly description: string;
  /** A JSON pointer into the published spec. */
  readonly location: string;
}

/** Reached from `paths`, where the diff library resolves them: their own changes are duplicates. */
const RESOLVED_COMPONENTS: ReadonlySet<string> = new Set([
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'headers',
  'examples',
  'links',
  'callbacks',
]);

/**
 * Gives every object schema a `required` list (empty when absent): api-smart-diff classifies a
 * name added to a list, but leaves a whole new list unclassified. A map whose values are not all
 * objects (a schema named `properties`, say) is left alone.
 */
function withExplicitRequired(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(withExplicitRequired);
  if (!isJsonObject(node)) return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withExplicitRequired(value)]));
  const props = node.properties;
  if (
    isJsonObject(props) &&
    Object.values(props).every(isJsonObject) &&
    (node.type === undefined || node.type === 'object') &&
    node.required === undefined
  )
    out.required = [];
  return out;
}

const pointer = (path: readonly (string | number)[]): string =>
  `/${path.map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function describe(diff: Diff): string {
  const text = diff.description?.replace(/\s+/g, ' ').trim() ?? '';
  // The library sometimes leaves the subject out ("[Added]  to `records[]`", "in Request Body"): the location says it.
  return /^\[\w+\] (?!(?:in|to|of|from)\b)\S/.test(text) ? text : `[${diff.action}] ${pointer(diff.path)}`;
}

const ORDER: Record<Severity, number> = { breaking: 0, unclassified: 1, 'non-breaking': 2 };

export function diffContracts(before: OpenApiDocument, after: OpenApiDocument): ContractChange[] {
  const { diffs } = apiCompare(withExplicitRequired(before), withExplicitRequired(after));
  return (
    diffs
      .filter((d) => !(d.path[0] === 'components' && RESOLVED_COMPONENTS.has(String(d.path[1]))))
      .map((d): ContractChange => {
        const { severity, reason } = classifyChange(d);
        const { operation } = siteOf(d.path);
        return {
          severity,
          reason,
          ...(operation === undefined ? {} : { operation }),
          description: describe(d),
          location: pointer(d.path),
        };
      })
      // One change seen in several places of one operation (each alternative of a oneOf) is one row.
      .filter(
        (change, i, all) =>
          all.findIndex(
            (c) => c.severity === change.severity && c.operation === change.operation && c.reason === change.reason,
          ) === i,
      )
      .sort(
        (a, b) =>
          ORDER[a.severity] - ORDER[b.severity] ||
          (a.operation ?? '').localeCompare(b.operation ?? '') ||
          a.location.localeCompare(b.location),
      )
  );
}
