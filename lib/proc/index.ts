// lib/proc: the one reader of the process table (/proc on Linux, `ps` elsewhere) and of the
// kernel's exact process events.
export { parseStat, psStat, decodeWaitStatus, type ProcStat } from './stat.js';
export { signalName, signalNumber } from './signals.js';
export { ProcfsSource, PsSource, defaultSource, type ProcessSource } from './source.js';
export { monotonicMs } from './clock.js';
export * from './read.js';
