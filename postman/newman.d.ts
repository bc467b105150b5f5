/** The part of newman's Node API the contract test uses (newman ships no types). */
declare module 'newman' {
  export interface NewmanVariable {
    key: string;
    value: string;
  }

  export interface NewmanRunOptions {
    collection: string | object;
    environment?: string | object;
    envVar?: NewmanVariable[];
    reporters?: string | string[];
    timeout?: number;
    timeoutRequest?: number;
    timeoutScript?: number;
    bail?: boolean;
  }

  export interface NewmanStat {
    total: number;
    pending: number;
    failed: number;
  }

  export interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    source?: { name?: string };
    at?: string;
  }

  export interface NewmanExecution {
    item: { name: string };
    response?: { code: number; text?(): string; stream?: Buffer };
    requestError?: Error;
    assertions?: Array<{ assertion: string; skipped?: boolean; error?: { message: string } }>;
    testScript?: Array<{ error: Error }>;
  }

  export interface NewmanRunSummary {
    run: {
      stats: {
        requests: NewmanStat;
        assertions: NewmanStat;
        testScripts: NewmanStat;
        prerequestScripts: NewmanStat;
        items: NewmanStat;
      };
      failures: NewmanFailure[];
      executions: NewmanExecution[];
      error?: Error | null;
    };
  }

  export function run(
    options: NewmanRunOptions,
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): unknown;
}
