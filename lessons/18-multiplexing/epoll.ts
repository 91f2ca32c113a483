// What the kernel shows about a process's event loop, read from /proc (Linux only):
//
//   /proc/<pid>/fd/<n>       a link naming what descriptor n is: socket:[inode], pipe:[…],
//                            anon_inode:[eventpoll] (an epoll instance), anon_inode:[eventfd] …
//   /proc/<pid>/fdinfo/<n>   for an epoll instance, one `tfd:` line per descriptor it watches
//   /proc/<pid>/net/tcp      every TCP socket: local and remote address, state, inode
//   /proc/<pid>/net/unix     every Unix socket (a socketpair too), by inode
//   /proc/<pid>/wchan        the kernel function the process sleeps in
//
// This is the same as `ls -l /proc/<pid>/fd` and `cat /proc/<pid>/fdinfo/<n>` in a shell.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface Watched {
  fd: number;
  /**
   * What the descriptor is: 'listening :port', 'client :port', 'unix socket', 'eventfd', 'pipe' …,
   * or 'closed socket': a TCP connection the kernel has already taken out of its table (the
   * client hung up) whose descriptor the server has not closed yet.
   */
  what: string;
  /** For a TCP connection: the client's port (the other end). */
  client?: number;
}

export interface EventLoopView {
  /** Every epoll instance the process holds (Node has a few; one belongs to the main loop). */
  epolls: number[];
  /** The main loop's: the epoll instance that watches sockets. */
  epfd: number;
  watched: Watched[];
  /** Where the process sleeps, e.g. do_epoll_wait ('' if the kernel does not say). */
  wchan: string;
}

/** The TCP sockets of the process's network namespace, by inode: [local port, remote port, state]. */
function tcpSockets(pid: number): Map<string, { local: number; remote: number; listening: boolean }> {
  const sockets = new Map<string, { local: number; remote: number; listening: boolean }>();
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const port = (address: string): number => parseInt(address.split(':')[1] ?? '0', 16);
    // state 0A is LISTEN (include/net/tcp_states.h)
    sockets.set(fields[9]!, { local: port(fields[1]!), remote: port(fields[2]!), listening: fields[3] === '0A' });
  }
  return sockets;
}

/** The inodes of the Unix sockets of the process's network namespace. */
function unixSockets(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const line of readFileSync(`/proc/${pid}/net/unix`, 'utf8').split('\n').slice(1)) {
    const inode = line.trim().split(/\s+/)[6];
    if (inode) inodes.add(inode);
  }
  return inodes;
}

function link(pid: number, fd: number | string): string {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return ''; // closed between the listing and the read
  }
}

function describe(target: string, tcp: ReturnType<typeof tcpSockets>, unix: Set<string>): Omit<Watched, 'fd'> {
  const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
  if (!inode) return { what: target.replace(/:\[\d+\]$/, '').replace(/^anon_inode:\[?|\]$/g, '') || 'closed' };
  if (unix.has(inode)) return { what: 'unix socket' };
  const socket = tcp.get(inode);
  if (!socket) return { what: 'closed socket' };
  if (socket.listening) return { what: `listening :${socket.local}` };
  return { what: `client :${socket.remote}`, client: socket.remote };
}

/** Reads the process's descriptors and its main loop's epoll instance, as the kernel shows them now. */
export function eventLoopOf(pid: number): EventLoopView {
  const tcp = tcpSockets(pid);
  const unix = unixSockets(pid);
  const epolls = readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .filter((fd) => link(pid, fd) === 'anon_inode:[eventpoll]')
    .sort((a, b) => a - b);
  let best: { epfd: number; watched: Watched[]; sockets: number } = { epfd: -1, watched: [], sockets: -1 };
  for (const epfd of epolls) {
    let info = '';
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${epfd}`, 'utf8');
    } catch {
      continue;
    }
    // e.g. "tfd:       15 events:       19 data: …": descriptor 15, watched for input (0x19 = EPOLLIN|EPOLLERR|EPOLLHUP)
    const watched = [...info.matchAll(/^tfd:\s+(\d+)/gm)]
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b)
      .map((fd) => ({ fd, ...describe(link(pid, fd), tcp, unix) }));
    const sockets = watched.filter((each) => each.what !== 'eventfd' && !each.what.startsWith('pipe')).length;
    if (sockets > best.sockets) best = { epfd, watched, sockets };
  }
  let wchan = '';
  try {
    wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8').trim();
  } catch {
    // not readable here
  }
  return { epolls, epfd: best.epfd, watched: best.watched, wchan: wchan === '0' ? '' : wchan };
}
