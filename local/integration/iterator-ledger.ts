/**
 * The shard iterators this gateway handed out, and the stream each reads. A backend whose
 * iterators cannot be read here (kinesis-mock, any --kinesis-endpoint) would serve GetRecords for
 * any iterator, another stream's included; in the cloud the integration role may read only the
 * configured streams, and Kinesis denies the rest. The gateway learns each iterator as it passes:
 * from GetShardIterator's answer and from each GetRecords answer's NextShardIterator, so an
 * iterator it did not hand out for a configured stream can be refused.
 *
 * Bounded: a shard iterator is valid for 5 minutes after it is returned (Kinesis API reference,
 * GetShardIterator), so entries are kept a little longer than that (an expired iterator still gets
 * Kinesis's own ExpiredIteratorException from the backend), and at most `capacity` of them.
 */
export const ITERATOR_LIFETIME_MS = 5 * 60_000;

export interface IteratorLedgerOptions {
  /** Default 100,000 iterators (a few tens of MB at most). */
  readonly capacity?: number;
  /** Default ITERATOR_LIFETIME_MS plus a minute. */
  readonly keepMs?: number;
  /** Milliseconds; default Date.now. */
  readonly now?: () => number;
}

export class IteratorLedger {
  /** In the order they were handed out, so the oldest are first. */
  private readonly entries = new Map<string, { readonly stream: string; readonly at: number }>();
  private readonly capacity: number;
  private readonly keepMs: number;
  private readonly now: () => number;

  constructor(options: IteratorLedgerOptions = {}) {
    this.capacity = options.capacity ?? 100_000;
    this.keepMs = options.keepMs ?? ITERATOR_LIFETIME_MS + 60_000;
    this.now = options.now ?? Date.now;
  }

  remember(iterator: string, stream: string): void {
    this.forgetOld();
    this.entries.delete(iterator);
    this.entries.set(iterator, { stream, at: this.now() });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The stream the iterator reads, if this gateway handed it out within the time kept. */
  streamOf(iterator: string): string | undefined {
    this.forgetOld();
    return this.entries.get(iterator)?.stream;
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetOld(): void {
    const before = this.now() - this.keepMs;
    for (const [iterator, entry] of this.entries) {
      if (entry.at >= before) return;
      this.entries.delete(iterator);
    }
  }
}
