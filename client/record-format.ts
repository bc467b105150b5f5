/**
 * How the tail shows a record (pure): its bytes as pretty JSON when they are JSON, as text when they
 * are UTF-8, as hex otherwise; with its shard, sequence number, partition key and arrival time.
 */
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export interface TailedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Kinesis's ApproximateArrivalTimestamp: epoch seconds, with a fraction. */
  readonly approximateArrivalTimestamp: number;
  readonly data: Buffer;
}

export type DecodedData =
  | { readonly encoding: 'json'; readonly value: unknown }
  | { readonly encoding: 'text'; readonly value: string }
  | { readonly encoding: 'hex'; readonly value: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The API stores numbers with every digit sent (9007199254740993, 12345678901234567890, -0): the
 * tail shows them so. A number a double holds exactly stays a number; any other keeps its text.
 */
const readNumber = (text: string): number | LosslessNumber =>
  isSafeNumber(text) && !Object.is(Number(text), -0) ? Number(text) : new LosslessNumber(text);

const printJson = (value: unknown, indent?: number): string => stringify(value, null, indent) ?? 'null';

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
      return { encoding: 'json', value: parse(trimmed, null, readNumber) };
    } catch {
      // text that merely starts like JSON
    }
  }
  return { encoding: 'text', value: text };
}

export const arrivalTime = (record: TailedRecord): string =>
  new Date(Math.round(record.approximateArrivalTimestamp * 1000)).toISOString();

/** One JSON object per line (`--json`). */
export function formatJsonLine(record: TailedRecord): string {
  const decoded = decodeData(record.data);
  return `${printJson({
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
  const body =
    decoded.encoding === 'json'
      ? printJson(decoded.value, 2)
      : decoded.encoding === 'hex'
        ? `hex ${decoded.value}`
        : decoded.value;
  return `${header}\n${body}\n`;
}
