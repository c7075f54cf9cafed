/** One timed run of one target, whatever drove it (wrk, pgbench). */
export interface Measurement {
  /** Requests (or transactions) per second. */
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  /** Failed requests or transactions. */
  errors: number;
}

/** What a benchmark target is: something that can be run for `durationS` and measured. */
export interface Target {
  readonly id: string;
  /** What runs it and against what, for the report. */
  readonly description: string;
  run(durationS: number): Promise<Measurement>;
}
