// The catalogue of lessons: number, slug, title, a one-line summary, and what to watch for in
// the process table. The runner lists a lesson only once its folder has a lesson.ts.

export interface LessonInfo {
  number: number;
  slug: string;
  title: string;
  summary: string;
  /** What to look at in the table while it runs. */
  watch: string;
}

export const catalogue: LessonInfo[] = [
  { number: 1, slug: 'fork', title: 'A child process', summary: 'Start a second process; it runs at the same time and has its own memory.', watch: 'a child row appears under the lesson, with PPID = the lesson' },
  { number: 2, slug: 'pids', title: 'PIDs, parents, groups and sessions', summary: 'Every process has a pid, a parent, a process group and a session; PID 1 is special.', watch: 'the PID and PPID columns agree with what each process prints' },
  { number: 3, slug: 'exit', title: 'How a process ends', summary: 'Exit codes, exit handlers, what process.exit() loses, abort and signals.', watch: 'each child exits; its parent reports how' },
  { number: 4, slug: 'orphan', title: 'Orphans', summary: 'The parent dies first: the child is adopted by PID 1 or a subreaper.', watch: "the orphan's PPID changes to its adopter" },
  { number: 5, slug: 'zombie', title: 'Zombies', summary: 'The child dies first and nobody has collected its exit status yet.', watch: 'the child turns Z (red) until its parent reaps it' },
  { number: 6, slug: 'wait', title: 'Waiting for children', summary: 'wait() and waitpid() the Node way: blocking, polling, any child, exit statuses.', watch: 'children exit in one order and are reaped' },
  { number: 7, slug: 'double-fork', title: 'The double fork', summary: 'Hand a grandchild to init so nobody has to reap it; how daemons start.', watch: 'the middle process vanishes; the grandchild is adopted and leads its own session (s)' },
  { number: 8, slug: 'signals', title: 'Signals', summary: 'SIGTERM, SIGINT, SIGSTOP/SIGCONT, SIGKILL and SIGCHLD.', watch: 'the child turns T when stopped and back when continued' },
  { number: 9, slug: 'pool', title: 'A pool of worker processes', summary: 'Reuse N workers for many tasks: apply_async, map, close, join.', watch: 'exactly N workers, the same PIDs for every task' },
  { number: 10, slug: 'ipc', title: 'Pipes, channels and queues', summary: 'Talking between processes: pipes, the IPC channel, a queue, a named FIFO.', watch: 'the producer and consumer rows, and a channel keeping a child alive' },
  { number: 11, slug: 'unix-sockets', title: 'Unix domain sockets', summary: 'A stream server on a socket file; stale files and safe recovery.', watch: 'the server and client processes' },
  { number: 12, slug: 'chatroom', title: 'A UDP chatroom', summary: "The course's group chat: a server, its admin console and clients, as processes.", watch: 'each client is a pair of processes; the server has an admin child' },
  { number: 13, slug: 'process-class', title: 'The Process class', summary: 'start, join, is_alive, exitcode, terminate and daemon, as in multiprocessing.', watch: 'each state of each child' },
  { number: 14, slug: 'locks', title: 'Races, locks and semaphores', summary: 'Selling tickets from many processes: oversold without a lock, exact with one.', watch: 'the buyers and how many hold the semaphore at once' },
  { number: 15, slug: 'shared-memory', title: 'Shared memory', summary: "The course's Value and Array for real: lost updates, and Atomics.", watch: 'several workers incrementing one counter' },
  { number: 16, slug: 'tcp-server', title: 'A TCP server, a process per connection', summary: 'Accept, hand each connection to a new process, and reap them.', watch: 'one worker per client, PPID = the server' },
  { number: 17, slug: 'framing', title: 'Message framing', summary: 'TCP is a stream: a length prefix keeps message boundaries.', watch: 'the sender and receiver processes' },
];
