/**
 * A small, bounded pool of worker threads: jobs queue in order, each worker runs one at a time, and
 * workers start only when a job needs them (most runs never send a body large enough). A worker
 * that dies fails its job and is replaced by the next job that needs one. Idle workers do not keep
 * the process alive.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The file every worker starts from: it loads the TypeScript worker through tsx (see its comment). */
export const WORKER_ENTRY = join(__dirname, 'worker-entry.js');

interface Task<Job, Result> {
  readonly job: Job;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}

export class WorkerPoolClosedError extends Error {
  constructor() {
    super('The worker pool is closed');
  }
}

export class WorkerPool<Job, Result> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task<Job, Result>>();
  private readonly queue: Task<Job, Result>[] = [];
  private started = 0;
  private closed = false;

  constructor(
    private readonly workerData: unknown,
    private readonly maxWorkers: number,
    private readonly entry: string = WORKER_ENTRY,
  ) {
    if (!(maxWorkers >= 1)) throw new Error(`A worker pool needs at least one worker, not ${maxWorkers}`);
  }

  run(job: Job): Promise<Result> {
    if (this.closed) return Promise.reject(new WorkerPoolClosedError());
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Fails queued jobs and stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new WorkerPoolClosedError());
    const workers = [...this.idle.splice(0), ...this.busy.keys()];
    for (const task of this.busy.values()) task.reject(new WorkerPoolClosedError());
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.maxWorkers ? this.spawn() : undefined);
      if (worker === undefined) return;
      const task = this.queue.shift() as Task<Job, Result>;
      this.busy.set(worker, task);
      worker.ref();
      worker.postMessage(task.job);
    }
  }

  private spawn(): Worker {
    // No inherited flags: the entry registers what the thread needs, whatever started the process.
    const worker = new Worker(this.entry, { workerData: this.workerData, execArgv: [] });
    this.started += 1;
    worker.on('message', (result: Result) => {
      const task = this.busy.get(worker);
      if (task === undefined) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      task.resolve(result);
      this.dispatch();
    });
    const lost = (error: Error): void => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at !== -1) this.idle.splice(at, 1);
      if (task === undefined && at === -1) return;
      this.started -= 1;
      task?.reject(error);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`A worker thread exited (code ${code}) before answering`)));
    return worker;
  }
}
