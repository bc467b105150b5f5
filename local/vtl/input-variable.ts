/**
 * `$input`: the request's body and parameters (in a response template, the backend's body). The
 * body is parsed once per render, on first use; `path` gives live values, `json` compact JSON text.
 */
import * as importedJsonPath from './json-path';
import * as importedJsonDocument from './json-document';
import { type JsonDocument } from './json-document';

// Bound once: under tsx (esbuild's CommonJS) each read of an imported name calls a getter, a cost
// that shows in a batch render's profile (node --cpu-prof).
const { evaluatePath, walkSteps } = importedJsonPath;
const { jsonText, parseJsonDocument } = importedJsonDocument;

export interface TemplateParams {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly header: Readonly<Record<string, string>>;
}

/** What an empty body reads as, for $input.body as for $input.path/json. */
const EMPTY_BODY = '{}';

export class InputVariable {
  /**
   * The raw body. An empty one reads as `{}` here too: API Gateway hands `{}` to a template that
   * prints $input.body of an empty request (as recorded against AWS by LocalStack's tests).
   */
  readonly body: string;
  private parsed: { value: unknown } | undefined;

  /** `document`: the body already parsed by parseJsonDocument (the gateway parses once for validation). */
  constructor(
    body: string,
    private readonly parameters: TemplateParams,
    document?: JsonDocument,
  ) {
    this.body = body === '' ? EMPTY_BODY : body;
    if (document !== undefined) this.parsed = { value: document.root };
  }

  /**
   * A body that is not JSON cannot be read by JSONPath: the render fails (JsonBodyError), as in
   * API Gateway; so does one nested too deep or with a number beyond a double.
   */
  private root(): unknown {
    if (this.parsed === undefined) {
      const text = this.body.trim() === '' ? EMPTY_BODY : this.body;
      this.parsed = { value: parseJsonDocument(text).root };
    }
    return this.parsed.value;
  }

  /**
   * Live values from the body parsed for this render: a template that changes one (add, put) sees
   * the change in later calls of the same render; $input.body stays as sent.
   */
  path(jsonPath: unknown): unknown {
    return evaluatePath(this.root(), String(jsonPath));
  }

  /**
   * Compact JSON text of the value (a string with its quotes). A path that selects nothing gives
   * an empty string: the documented reading, unverified against API Gateway (which may give null;
   * the two print the same, but `#set` of a null keeps the variable's previous value).
   */
  json(jsonPath: unknown): string {
    const value = evaluatePath(this.root(), String(jsonPath));
    return value === undefined ? '' : jsonText(value);
  }

  /**
   * `$input.json("$.a[$i].b")` / `$input.path(...)` with the index already known: the same answer
   * as building the path text and reading it, without building it (a batch template does this
   * once per record).
   */
  atIndex(
    method: 'json' | 'path',
    prefix: ReadonlyArray<string | number>,
    index: number,
    suffix: ReadonlyArray<string | number>,
  ): unknown {
    const list = walkSteps(this.root(), prefix);
    const value = Array.isArray(list) ? walkSteps(list[index], suffix) : undefined;
    if (method === 'path') return value;
    return value === undefined ? '' : jsonText(value);
  }

  /**
   * No name: `{path, querystring, header}` (copies, so a template cannot change the request's).
   * A name: path, then query string, then header (any case), else "".
   */
  params(name?: unknown): unknown {
    if (name === undefined)
      return {
        path: { ...this.parameters.path },
        querystring: { ...this.parameters.querystring },
        header: { ...this.parameters.header },
      };
    const key = String(name);
    if (Object.prototype.hasOwnProperty.call(this.parameters.path, key)) return this.parameters.path[key];
    if (Object.prototype.hasOwnProperty.call(this.parameters.querystring, key)) return this.parameters.querystring[key];
    const lower = key.toLowerCase();
    const header = Object.keys(this.parameters.header).find((h) => h.toLowerCase() === lower);
    return header === undefined ? '' : this.parameters.header[header];
  }
}
