/**
 * The parts of a Postman collection (format v2.1) and environment that the export reads and
 * writes. Everything else the converter produces is carried along untouched.
 */
export interface PostmanVariable {
  key: string;
  value: string;
  type?: string;
  disabled?: boolean;
  enabled?: boolean;
  description?: string | { content: string; type?: string };
}

export interface PostmanAuthAttribute {
  key: string;
  value: string;
  type: 'string';
}

export type PostmanAuth =
  | { type: 'noauth' }
  | { type: 'apikey'; apikey: PostmanAuthAttribute[] }
  | { type: 'awsv4'; awsv4: PostmanAuthAttribute[] };

export interface PostmanUrl {
  raw?: string;
  host?: string[];
  path?: string[];
  query?: PostmanVariable[];
  variable?: PostmanVariable[];
  [other: string]: unknown;
}

export interface PostmanBody {
  mode?: string;
  raw?: string;
  options?: unknown;
  [other: string]: unknown;
}

export interface PostmanRequest {
  name?: string;
  method: string;
  url: PostmanUrl;
  header?: PostmanVariable[];
  body?: PostmanBody;
  auth?: PostmanAuth | null;
  description?: unknown;
  [other: string]: unknown;
}

export interface PostmanEvent {
  listen: 'test' | 'prerequest';
  script: { type: 'text/javascript'; exec: string[] };
}

export interface PostmanRequestItem {
  id?: string;
  name: string;
  request: PostmanRequest;
  response?: unknown[];
  event?: PostmanEvent[];
  [other: string]: unknown;
}

export interface PostmanFolder {
  name: string;
  description?: unknown;
  item: PostmanItem[];
  [other: string]: unknown;
}

export type PostmanItem = PostmanRequestItem | PostmanFolder;

export interface PostmanCollection {
  info: { name: string; schema: string; description?: unknown; [other: string]: unknown };
  item: PostmanItem[];
  variable?: PostmanVariable[];
  auth?: PostmanAuth;
  event?: PostmanEvent[];
  [other: string]: unknown;
}

export interface PostmanEnvironment {
  id: string;
  name: string;
  values: Array<{ key: string; value: string; type: 'default' | 'secret'; enabled: boolean; description?: string }>;
  _postman_variable_scope: 'environment';
}

export function isFolder(item: PostmanItem): item is PostmanFolder {
  return Array.isArray((item as PostmanFolder).item);
}
