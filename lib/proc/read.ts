// Single reads of the process table, for everything that is not the observer's sampling loop:
// a process's identity, its children, its environment, its descriptors, the kernel's socket
// tables and I/O counters. The one place besides source.ts that opens files under /proc.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { parseStat, type ProcStat } from './stat.js';

/** Whether this system has a Linux /proc to read. */
// Stryker disable next-line ConditionalExpression: a constant of the platform: true on Linux, where the tests run
export const hasProc = process.platform === 'linux';

/** A process's stat line, parsed; undefined once it is gone (or where there is no /proc). */
export function readStat(pid: number | 'self'): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** The kernel function a process sleeps in (/proc/<pid>/wchan; "0" while it runs); undefined once it is gone. */
export function waitChannelOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A process's identity: its pid and the clock tick it started at. A pid is reused; the pair is
 * not. Written `pid@startTicks` in the timeline.
 */
export function identityOf(pid: number, startTicks: number): string {
  return `${pid}@${startTicks}`;
}

/** The start tick of a process (0 where there is no /proc, undefined when it is gone). */
export function startTicksOf(pid: number | 'self'): number | undefined {
  // Stryker disable next-line ConditionalExpression: the path without /proc is never taken on Linux
  if (!hasProc) return 0;
  return readStat(pid)?.startTicks;
}

/** Whether the process with this pid is still the one that started at `startTicks`, and not a zombie. */
export function isAliveAs(pid: number, startTicks: number): boolean {
  // Stryker disable all: the path without /proc (macOS) is never taken on Linux, where the tests run
  if (!hasProc) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  const stat = readStat(pid);
  // Stryker restore all
  return stat !== undefined && stat.startTicks === startTicks && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every pid on the machine now. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

/** The children of a process, as the kernel lists them per thread (no scan of all of /proc). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    try {
      // Stryker disable next-line MethodExpression,Regex: the kernel puts one space between pids; an empty string either way is skipped below
      for (const each of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim().split(/\s+/)) {
        if (each) children.push(Number(each));
      }
    } catch {
      // that thread ended
    }
  }
  return children;
}

/** Where the kernel's process file system is mounted (a sandbox mounts one of its own there). */
export const PROC_ROOT = '/proc';

/**
 * Its pid in the innermost pid namespace it lives in (a sandbox's), from the NSpid line of
 * /proc/<pid>/status (the host's pid first, the innermost last); undefined if it is in ours.
 */
export function namespacePid(pid: number): number | undefined {
  try {
    // Stryker disable next-line Regex,OptionalChaining,StringLiteral: the kernel writes one NSpid line, one tab after the colon; a failed match throws into the catch, which answers the same
    const line = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    // Stryker disable next-line OptionalChaining,MethodExpression,Regex: one tab between pids, none at the ends; undefined throws into the catch, which answers the same
    const pids = line?.trim().split(/\s+/).map(Number);
    return pids && pids.length > 1 ? pids.at(-1) : undefined;
  } catch {
    return undefined;
  }
}

/** The short command name (comm) of a process, or undefined once it is gone. */
export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return undefined;
  }
}

/** Its command line as one string ('' for a zombie or a process that is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The environment it started with, as NAME=value strings (empty if unreadable). */
export function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Its open descriptors: fd number → what it points at (`socket:[123]`, `anon_inode:[eventpoll]`, a path). */
export function descriptorsOf(pid: number | 'self'): Map<number, string> {
  const result = new Map<number, string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return result;
  }
  for (const fd of fds) {
    try {
      result.set(Number(fd), readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return result;
}

/** The kernel's notes on one descriptor (/proc/<pid>/fdinfo/<fd>): for an epoll descriptor, one `tfd:` line per watched fd. */
export function descriptorInfo(pid: number | 'self', fd: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
  } catch {
    return undefined;
  }
}

/** What the kernel counted a process reading and writing (/proc/<pid>/io), or undefined where it cannot be read. */
export interface IoCounts {
  rchar: number;
  wchar: number;
  readBytes: number;
  writeBytes: number;
}

export function ioCountsOf(pid: number | 'self'): IoCounts | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/io`, 'latin1');
  } catch {
    return undefined;
  }
  // Stryker disable next-line OptionalChaining: every field is in the file on Linux
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  // Stryker disable next-line StringLiteral: read_bytes and write_bytes count storage I/O: 0 for a process that touched no disk, as a name read wrong gives
  return { rchar: field('rchar'), wchar: field('wchar'), readBytes: field('read_bytes'), writeBytes: field('write_bytes') };
}

/**
 * A socket table of the kernel (/proc/net/udp, tcp, unix …) as lines after the header; [] where
 * there is none. With `pid`, the table of that process's network namespace (/proc/<pid>/net/…).
 */
export function socketTable(name: 'udp' | 'udp6' | 'tcp' | 'tcp6' | 'unix', pid?: number): string[] {
  try {
    return readFileSync(pid === undefined ? `/proc/net/${name}` : `/proc/${pid}/net/${name}`, 'latin1').split('\n').slice(1).filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}

/** The kernel's UDP counters (/proc/net/snmp, the `Udp:` lines) by name, or undefined. */
export function udpCounters(): Record<string, number> | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
    // Stryker disable next-line Regex: the kernel puts one space between the names
    const names = lines[0]!.split(/\s+/).slice(1);
    // Stryker disable next-line Regex: and between the values
    const values = lines[1]!.split(/\s+/).slice(1).map(Number);
    return Object.fromEntries(names.map((name, i) => [name, values[i] ?? 0]));
  } catch {
    return undefined;
  }
}

/** PID 1's command name. */
export function initName(): string | undefined {
  return commandName(1);
}

/** Every process on the machine now, parsed (those that vanish while being read are left out). */
export function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid);
    // Stryker disable next-line ConditionalExpression: only a process ending between the listing and its read is left out: no test can time that
    if (stat) stats.push(stat);
  }
  return stats;
}
