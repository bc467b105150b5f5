/** What the local gateway needs of a Kinesis backend. */
export interface KinesisBackend {
  readonly kind: 'embedded' | 'kinesis-mock' | 'endpoint';
  /** e.g. http://127.0.0.1:4567 */
  readonly endpoint: string;
  /** The region to sign for, e.g. us-east-1 for the local backends. */
  readonly region: string;
  /**
   * The stream a shard iterator of this backend reads, when the backend's iterators can be read
   * (kinesalite's); absent otherwise.
   */
  readonly streamOfIterator?: (iterator: string) => string | undefined;
  /**
   * True when the backend lists every shard in one ListShards page and so never hands out a
   * NextToken (kinesalite: it also crashes on one).
   */
  readonly listsShardsInOnePage?: boolean;
  /** Idempotent: frees the port, the child process or the database. */
  close(): Promise<void>;
}

/** The region the local backends answer for; no AWS account is involved. */
export const LOCAL_REGION = 'us-east-1';
