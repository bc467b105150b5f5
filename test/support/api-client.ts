/** A small HTTP client for the local API in tests: JSON in, status + headers + JSON out. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is, instead of JSON. */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Leave out the API key. */
  readonly noKey?: boolean;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.apiKey !== undefined && !options.noKey) headers['x-api-key'] = this.apiKey;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, options);
  }

  put<T = Record<string, unknown>>(path: string, body: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, { ...options, body });
  }
}

export interface ReadRecord {
  data: string;
  partitionKey: string;
  sequenceNumber: string;
  approximateArrivalTimestamp: number;
}

/** Reads a shard from its start until caught up, through the API. */
export async function readShard(
  client: ApiClient,
  stream: string,
  shardId = 'shardId-000000000000',
  limit = 10000,
): Promise<ReadRecord[]> {
  const iterator = await client.get<{ shardIterator: string }>(
    `/streams/${stream}/sharditerator?shard-id=${shardId}&shard-iterator-type=TRIM_HORIZON`,
  );
  if (iterator.status !== 200) throw new Error(`GetShardIterator answered ${iterator.status}: ${iterator.text}`);
  const records: ReadRecord[] = [];
  let next: string | undefined = iterator.body.shardIterator;
  for (let page = 0; next !== undefined && page < 1000; page += 1) {
    const read: ApiResponse<{ records: ReadRecord[]; nextShardIterator?: string; millisBehindLatest: number }> =
      await client.get(`/streams/${stream}/records?limit=${limit}`, {
        headers: { 'Shard-Iterator': next },
      });
    if (read.status !== 200) throw new Error(`GetRecords answered ${read.status}: ${read.text}`);
    records.push(...read.body.records);
    if (read.body.records.length === 0 && read.body.millisBehindLatest === 0) break;
    next = read.body.nextShardIterator;
  }
  return records;
}
