/**
 * The record schema follows the configured maximum record size (pure): `dataBase64`'s maxLength
 * becomes the base64 length of the largest record the configured streams take, and its
 * description says so. Kinesis takes records of 1 MiB by default and up to 10 MiB on a stream
 * raised to it, partition key included ("Quotas and limits",
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). API Gateway takes
 * request payloads of at most 10 MB ("Amazon API Gateway quotas",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), so past about 7.5 MiB
 * of bytes the request is what limits a record, and the schema says that limit instead.
 *
 * The schema is shared by every stream's path, so it carries the largest stream's limit; Kinesis
 * still refuses a record over its own stream's maximum (400).
 */
import { isJsonObject, type JsonValue, type OpenApiDocument } from './document';

const KIB = 1024;
/** API Gateway REST's request payload limit (10 MB), read as bytes of 1024 * 1024. */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * KIB * KIB;
/** The smallest body that carries dataBase64: what the payload limit leaves for its characters. */
const SMALLEST_BODY = '{"dataBase64":""}';

/** Characters of standard base64 with padding for `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

export interface RecordSizeLimit {
  /** dataBase64's maxLength. */
  readonly maxBase64Length: number;
  /** The largest record, in bytes, that can be sent as dataBase64. */
  readonly maxRecordBytes: number;
  /** True when API Gateway's payload limit, not the streams' record size, is the bound. */
  readonly boundByPayload: boolean;
}

export function recordSizeLimit(maxRecordSizeKiB: number): RecordSizeLimit {
  const streamBytes = maxRecordSizeKiB * KIB;
  const payloadChars = Math.floor((API_GATEWAY_MAX_PAYLOAD_BYTES - SMALLEST_BODY.length) / 4) * 4;
  if (base64Length(streamBytes) <= payloadChars)
    return { maxBase64Length: base64Length(streamBytes), maxRecordBytes: streamBytes, boundByPayload: false };
  return { maxBase64Length: payloadChars, maxRecordBytes: (payloadChars / 4) * 3, boundByPayload: true };
}

function describeLimit(limit: RecordSizeLimit, maxRecordSizeKiB: number): string {
  const size = `${maxRecordSizeKiB} KiB`;
  return limit.boundByPayload
    ? `At most ${limit.maxBase64Length} characters: API Gateway's 10 MB request limit allows ${limit.maxRecordBytes} bytes of data, below the stream's maximum record size of ${size}.`
    : `At most ${limit.maxBase64Length} characters: ${limit.maxRecordBytes} bytes, the stream's maximum record size of ${size}, which the partition key counts towards.`;
}

/** Every schema with a string `dataBase64` property gets the limit of `maxRecordSizeKiB`. */
export function applyRecordSizeLimit(doc: OpenApiDocument, maxRecordSizeKiB: number): OpenApiDocument {
  const limit = recordSizeLimit(maxRecordSizeKiB);
  const sentence = describeLimit(limit, maxRecordSizeKiB);
  const visit = (node: JsonValue): JsonValue => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isJsonObject(node)) return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    const properties = out.properties;
    if (isJsonObject(properties) && isJsonObject(properties.dataBase64) && properties.dataBase64.type === 'string') {
      const field = properties.dataBase64;
      const description =
        typeof field.description === 'string' ? `${field.description.trimEnd()} ${sentence}` : sentence;
      out.properties = { ...properties, dataBase64: { ...field, maxLength: limit.maxBase64Length, description } };
    }
    return out;
  };
  return visit(doc) as OpenApiDocument;
}
