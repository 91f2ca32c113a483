// One clock for every process of a run.
//
// process.hrtime reads CLOCK_MONOTONIC, which all processes share, so a moment stamped in a lesson
// process and a sample taken in the runner are on one time line. (performance.now() is relative to
// each process's own start, and the origins that performance.timeOrigin estimates differ between
// processes by milliseconds.)

/** Milliseconds on the machine's monotonic clock. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
