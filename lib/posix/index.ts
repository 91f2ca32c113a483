// POSIX calls that Node does not offer, made through koffi, used only where Node has no
// equivalent. Each function says which C call it is; where a call does not exist on this system
// it throws PosixUnavailable with one sentence that says so.
export { PosixUnavailable } from './ffi.js';
export * from './process.js';
export * from './fifo.js';
export * from './sync.js';
export * from './memory.js';
export * from './netlink.js';
export * from './socket.js';
export * from './perf.js';
