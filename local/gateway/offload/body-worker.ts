/** A worker thread of the body pool (body-pool.ts): runs each job it is sent and answers it. */
import { parentPort, workerData } from 'node:worker_threads';
import { bodyJobRunner, type BodyJob, type BodyWorkerData } from './body-jobs';

const run = bodyJobRunner(workerData as BodyWorkerData);
parentPort?.on('message', (job: BodyJob) => parentPort?.postMessage(run(job)));
