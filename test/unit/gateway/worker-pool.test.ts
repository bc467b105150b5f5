/** The worker pool: jobs in order, a dead worker fails only its job and is replaced, close fails what waits. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool, WorkerPoolClosedError } from '../../../local/gateway/offload/worker-pool';

const dir = mkdtempSync(join(tmpdir(), 'worker-pool-'));
const entry = join(dir, 'worker.js');
// Doubles a number; exits (as a crash would) on "die".
writeFileSync(
  entry,
  "const { parentPort, workerData } = require('node:worker_threads');\n" +
    "parentPort.on('message', (job) => { if (job === 'die') process.exit(3); parentPort.postMessage(job * workerData.factor); });\n",
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('runs every job, in order, on at most its workers', async () => {
  const pool = new WorkerPool<number, number>({ factor: 2 }, 1, entry);
  try {
    expect(await Promise.all([1, 2, 3, 4].map((n) => pool.run(n)))).toEqual([2, 4, 6, 8]);
  } finally {
    await pool.close();
  }
});

test('a worker that dies fails its own job only; the next job gets a new worker', async () => {
  const pool = new WorkerPool<number | 'die', number>({ factor: 3 }, 1, entry);
  try {
    const [dead, after] = await Promise.allSettled([pool.run('die'), pool.run(5)]);
    expect(dead).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ message: expect.stringContaining('exited (code 3)') }),
    });
    expect(after).toEqual({ status: 'fulfilled', value: 15 });
  } finally {
    await pool.close();
  }
});

test('close fails the jobs still waiting, and any job sent after', async () => {
  const pool = new WorkerPool<number, number>({ factor: 1 }, 1, entry);
  const jobs = Promise.allSettled([pool.run(1), pool.run(2)]);
  await pool.close();
  for (const outcome of await jobs)
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(WorkerPoolClosedError) });
  await expect(pool.run(3)).rejects.toBeInstanceOf(WorkerPoolClosedError);
});
