/**
 * `$input`: the request's body and parameters (in a response template, the backend's body). The
 * body is parsed once, on first use; `path` gives live values, `json` compact JSON text.
 */
import { evaluatePath } from './json-path';

export interface TemplateParams {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly header: Readonly<Record<string, string>>;
}

export class InputVariable {
  private parsed: { value: unknown } | undefined;

  constructor(
    readonly body: string,
    private readonly parameters: TemplateParams,
  ) {}

  private root(): unknown {
    if (this.parsed === undefined) {
      // An empty body reads as {}; a body that is not JSON makes JSONPath fail, as in API Gateway.
      const text = /^\s*$/.test(this.body) ? '{}' : this.body;
      try {
        this.parsed = { value: JSON.parse(text) as unknown };
      } catch {
        throw new Error(`Unable to parse the body as JSON for $input.path/$input.json: ${this.body.slice(0, 80)}`);
      }
    }
    return this.parsed.value;
  }

  /**
   * Live values from the body parsed for this render. A template that changes one (add, put)
   * sees the change in later calls of the same render; $input.body stays as sent (unverified
   * against API Gateway, which may re-read the document per call).
   */
  path(jsonPath: unknown): unknown {
    return evaluatePath(this.root(), String(jsonPath));
  }

  /** Unverified: for a path with no value this gives an empty string (documented reading). */
  json(jsonPath: unknown): string {
    const value = evaluatePath(this.root(), String(jsonPath));
    return value === undefined ? '' : JSON.stringify(value);
  }

  /** No name: `{path, querystring, header}`. A name: path, then query string, then header (any case), else "". */
  params(name?: unknown): unknown {
    if (name === undefined) return { path: { ...this.parameters.path }, querystring: { ...this.parameters.querystring }, header: { ...this.parameters.header } };
    const key = String(name);
    if (Object.prototype.hasOwnProperty.call(this.parameters.path, key)) return this.parameters.path[key];
    if (Object.prototype.hasOwnProperty.call(this.parameters.querystring, key)) return this.parameters.querystring[key];
    const lower = key.toLowerCase();
    const header = Object.keys(this.parameters.header).find((h) => h.toLowerCase() === lower);
    return header === undefined ? '' : this.parameters.header[header];
  }
}
