export { Observer, type ObserverOptions, type TableRow } from './observer.js';
export { Timeline, ProcessHistory, type TimelineData, type ProcessRecord, type Span } from './timeline.js';
export { psStat, parseStat, decodeWaitStatus, STAT_MEANINGS, type ProcStat } from './stat.js';
export { signalName, signalNumber } from './signals.js';
export { ProcfsSource, PsSource, defaultSource, type ProcessSource } from './source.js';
