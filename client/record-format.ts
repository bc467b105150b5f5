/**
 * How the tail shows a record (pure): its bytes as pretty JSON when they are JSON, as text when they
 * are UTF-8, as hex otherwise; with its shard, sequence number, partition key and arrival time.
 */
export interface TailedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Kinesis's ApproximateArrivalTimestamp: epoch seconds, with a fraction. */
  readonly approximateArrivalTimestamp: number;
  readonly data: Buffer;
}

export type DecodedData = { readonly encoding: 'json'; readonly value: unknown } | { readonly encoding: 'text'; readonly value: string } | { readonly encoding: 'hex'; readonly value: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeData(data: Buffer): DecodedData {
  let text: string;
  try {
    text = strictUtf8.decode(data);
  } catch {
    return { encoding: 'hex', value: data.toString('hex') };
  }
  const trimmed = text.trim();
  // Only objects, arrays and quoted strings count as JSON: a bare `42` or `true` is shown as the text it is.
  if (/^[{["]/.test(trimmed)) {
    try {
      return { encoding: 'json', value: JSON.parse(trimmed) as unknown };
    } catch {
      // text that merely starts like JSON
    }
  }
  return { encoding: 'text', value: text };
}

export const arrivalTime = (record: TailedRecord): string => new Date(Math.round(record.approximateArrivalTimestamp * 1000)).toISOString();

/** One JSON object per line (`--json`). */
export function formatJsonLine(record: TailedRecord): string {
  const decoded = decodeData(record.data);
  return `${JSON.stringify({
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    arrivedAt: arrivalTime(record),
    encoding: decoded.encoding,
    data: decoded.value,
  })}\n`;
}

/** A header line, then the data: JSON indented, text as is, bytes in hex. */
export function formatForHumans(record: TailedRecord): string {
  const decoded = decodeData(record.data);
  const header = `${arrivalTime(record)}  ${record.shardId}  ${record.sequenceNumber}  key=${JSON.stringify(record.partitionKey)}`;
  const body = decoded.encoding === 'json' ? JSON.stringify(decoded.value, null, 2) : decoded.encoding === 'hex' ? `hex ${decoded.value}` : decoded.value;
  return `${header}\n${body}\n`;
}
