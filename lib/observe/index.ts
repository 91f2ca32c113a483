export { Observer, type ObserverOptions, type TableRow } from './observer.js';
export { Timeline, ProcessHistory, type TimelineData, type ProcessRecord, type Span } from './timeline.js';
export { psStat, parseStat, decodeWaitStatus, type ProcStat } from '../proc/stat.js';
export { signalName, signalNumber } from '../proc/signals.js';
export { ProcfsSource, PsSource, defaultSource, type ProcessSource } from '../proc/source.js';
