/**
 * `$context.requestOverride.*` and `$context.responseOverride.*`: "Overrides are final. An override
 * may only be applied to each parameter once. If you try to override the same parameter multiple
 * times, API Gateway returns a 5XX response." (API Gateway developer guide,
 * apigateway-override-request-response-parameters). The maps a render makes for them remember
 * what the template has set; a second #set of the same entry fails the render.
 */
const WRITTEN = new WeakMap<object, Set<string>>();

export class OverrideTwiceError extends Error {
  constructor(key: string) {
    super(
      `$context override "${key}" was set twice in one template; API Gateway applies an override once and answers 5XX`,
    );
    this.name = 'OverrideTwiceError';
  }
}

/** A map whose entries a template may set once each; `initial` (a caller's preset) is kept. */
export function overrideMap(initial: unknown): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  if (typeof initial === 'object' && initial !== null && !Array.isArray(initial)) Object.assign(map, initial);
  WRITTEN.set(map, new Set());
  return map;
}

/** Called before a #set writes `key` into `map`. */
export function checkOverrideWrite(map: object, key: string): void {
  const written = WRITTEN.get(map);
  if (written === undefined) return;
  if (written.has(key)) throw new OverrideTwiceError(key);
  written.add(key);
}
