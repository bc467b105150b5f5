/**
 * Large bodies off the main thread. JSON.parse, schema validation and the request template of a
 * 9.9 MB batch take the better part of a second; on the one thread that serves every client, all
 * other requests would wait that long. Bodies over `aboveBytes` go to a worker thread instead;
 * smaller ones keep the fast path (a thread hop costs more than they do).
 */
import { availableParallelism } from 'node:os';
import type { KinesisRefusal } from '../../integration';
import { BodyRefusedError, type BodyInput, type PreparedBody } from '../body-preparation';
import type { Operation } from '../routes';
import { operationKey, type BodyJob, type BodyJobResult, type BodyWorkerData } from './body-jobs';
import { WorkerPool } from './worker-pool';

/** Bodies up to this size are handled where they arrive. */
export const OFFLOAD_ABOVE_BYTES = 256 * 1024;

export interface BodyPoolOptions {
  /** Default: one per core left after the main thread, one or two. */
  readonly workers?: number;
  /** Default OFFLOAD_ABOVE_BYTES. */
  readonly aboveBytes?: number;
}

export interface LargeBodyInput extends Omit<BodyInput, 'body' | 'template'> {
  readonly body: Buffer;
  /** The content type whose request template applies; absent for a passthrough. */
  readonly templateFor?: string;
}

/** The bytes in shared memory, so that posting them to a worker does not copy them on this thread. */
function shared(body: Buffer): Uint8Array {
  if (body.buffer instanceof SharedArrayBuffer) return body;
  const copy = new Uint8Array(new SharedArrayBuffer(body.length));
  copy.set(body);
  return copy;
}

export class BodyPool {
  readonly aboveBytes: number;
  private readonly pool: WorkerPool<BodyJob, BodyJobResult>;

  constructor(data: BodyWorkerData, options: BodyPoolOptions = {}) {
    this.aboveBytes = options.aboveBytes ?? OFFLOAD_ABOVE_BYTES;
    this.pool = new WorkerPool(data, options.workers ?? Math.min(2, Math.max(1, availableParallelism() - 1)));
  }

  /** prepareBody() in a worker: the same result, the same BodyRefusedError; any other failure is an Error. */
  async prepare(operation: Operation, input: LargeBodyInput): Promise<PreparedBody> {
    const result = await this.pool.run({
      kind: 'prepare',
      operation: operationKey(operation),
      ...(input.templateFor === undefined ? {} : { templateFor: input.templateFor }),
      body: shared(input.body),
      contentType: input.contentType,
      templateRequest: input.templateRequest,
    });
    if (result.kind === 'prepared') return result.prepared;
    if (result.kind === 'refused') throw new BodyRefusedError(result.validationErrorString);
    throw new Error(result.kind === 'failed' ? result.message : `Unexpected answer ${result.kind} from a body worker`);
  }

  /** unstorableBodyReason() in a worker. */
  async inspect(body: Buffer, contentType: string | undefined): Promise<string | undefined> {
    const result = await this.pool.run({
      kind: 'inspect',
      body: shared(body),
      ...(contentType === undefined ? {} : { contentType }),
    });
    if (result.kind === 'inspected') return result.unstorable;
    throw new Error(result.kind === 'failed' ? result.message : `Unexpected answer ${result.kind} from a body worker`);
  }

  /** refuseKinesisRequest() in a worker, shard iterators aside (the caller judges those). */
  async judge(action: string, body: string): Promise<KinesisRefusal | undefined> {
    const result = await this.pool.run({ kind: 'judge', action, body });
    if (result.kind === 'judged') return result.refusal;
    throw new Error(result.kind === 'failed' ? result.message : `Unexpected answer ${result.kind} from a body worker`);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
