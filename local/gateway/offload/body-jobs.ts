/**
 * The work a worker thread does for the local gateway, as data in and data out (what crosses a
 * thread is copied, so both sides stay small: a body's bytes in, a rendered text or a short verdict
 * out, never a parsed document):
 * - `inspect`: whether a large body's bytes can be stored as sent (body-encoding.ts);
 * - `prepare`: a large body's validation and request template (body-preparation.ts);
 * - `judge`: Kinesis's request limits on a large integration request (kinesis-request-guard.ts).
 */
import { refuseKinesisRequest, type KinesisRefusal, type StreamScope } from '../../integration';
import type { OpenApiDocument } from '../../../spec-renderer';
import { unstorableBodyReason } from '../body-encoding';
import { BodyRefusedError, prepareBody, type BodyInput, type PreparedBody } from '../body-preparation';
import { RouteTable, type Operation } from '../routes';

/** Given to every worker when it starts. */
export interface BodyWorkerData {
  readonly spec: OpenApiDocument;
  /** The streams' maximum record sizes, as in StreamScope (a Map does not cross threads as one). */
  readonly maxRecordSizeKiB: ReadonlyArray<readonly [string, number]>;
  readonly listsShardsInOnePage: boolean;
}

export type BodyJob =
  | {
      readonly kind: 'prepare';
      /** operationKey() of the operation. */
      readonly operation: string;
      /** The content type whose template to render; absent for a passthrough. */
      readonly templateFor?: string;
      readonly body: Uint8Array;
      readonly contentType: string;
      readonly templateRequest: BodyInput['templateRequest'];
    }
  | { readonly kind: 'inspect'; readonly body: Uint8Array; readonly contentType?: string }
  | { readonly kind: 'judge'; readonly action: string; readonly body: string };

export type BodyJobResult =
  | { readonly kind: 'prepared'; readonly prepared: PreparedBody }
  | { readonly kind: 'refused'; readonly validationErrorString: string }
  | { readonly kind: 'inspected'; readonly unstorable?: string }
  | { readonly kind: 'judged'; readonly refusal?: KinesisRefusal }
  | { readonly kind: 'failed'; readonly message: string };

/** A Buffer cloned across threads arrives as a plain Uint8Array: the same bytes, viewed as a Buffer again. */
const bufferOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const operationKey = (operation: Pick<Operation, 'method' | 'resourcePath'>): string =>
  `${operation.method} ${operation.resourcePath}`;

/** What runs a job: built once per worker from its start data. */
export function bodyJobRunner(data: BodyWorkerData): (job: BodyJob) => BodyJobResult {
  const operations = new Map(new RouteTable(data.spec).operations.map((o) => [operationKey(o), o]));
  // Shard iterators are judged on the main thread, which knows them (GetRecords bodies are small).
  const scope: StreamScope = {
    maxRecordSizeKiB: new Map(data.maxRecordSizeKiB),
    listsShardsInOnePage: data.listsShardsInOnePage,
  };
  return (job) => {
    try {
      if (job.kind === 'judge') {
        const refusal = refuseKinesisRequest(job.action, job.body, scope);
        return refusal === undefined ? { kind: 'judged' } : { kind: 'judged', refusal };
      }
      if (job.kind === 'inspect') {
        const unstorable = unstorableBodyReason(bufferOf(job.body), job.contentType);
        return unstorable === undefined ? { kind: 'inspected' } : { kind: 'inspected', unstorable };
      }
      const operation = operations.get(job.operation);
      if (operation === undefined)
        return { kind: 'failed', message: `No operation ${job.operation} in the worker's spec` };
      const template =
        job.templateFor === undefined ? undefined : operation.integration.requestTemplates.get(job.templateFor);
      const body = bufferOf(job.body).toString('utf8');
      const prepared = prepareBody(operation, {
        body,
        contentType: job.contentType,
        templateRequest: job.templateRequest,
        ...(template === undefined ? {} : { template }),
      });
      return { kind: 'prepared', prepared };
    } catch (error) {
      if (error instanceof BodyRefusedError)
        return { kind: 'refused', validationErrorString: error.validationErrorString };
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  };
}
