// The catalogue of lessons: number, slug, title, a one-line summary, and what to watch for in
// the process table, in English and in Chinese. The runner lists a lesson only once its folder
// has a lesson.ts.

export interface LessonInfo {
  number: number;
  slug: string;
  title: string;
  summary: string;
  /** What to look at in the table while it runs. */
  watch: string;
  /** The same three in Chinese, in the course's terms (`--lang zh`). */
  zh: { title: string; summary: string; watch: string };
  /**
   * The lesson's homework, if it has one: what it asks, in a few words (en, zh). Its files:
   * lessons/NN-slug/exercise.ts (the student's), hint.md and hint.zh.md, solutions/NN-slug.ts, and
   * its check lib/exercises/checks/NN-slug.ts.
   */
  exercise?: { title: string; zh: string };
}

export const catalogue: LessonInfo[] = [
  { number: 1, slug: 'fork', title: 'A child process', summary: 'Start a second process; it runs at the same time and has its own memory.', watch: 'a child row appears under the lesson, with PPID = the lesson', zh: { title: '创建子进程', summary: '启动第二个进程：它和原来的进程同时运行，有自己独立的内存。', watch: '本课进程下面出现子进程的一行，PPID = 本课进程' }, exercise: { title: 'copy a file in two halves, two processes at once', zh: '父子两个进程同时各拷贝文件的一半' } },
  { number: 2, slug: 'pids', title: 'PIDs, parents, groups and sessions', summary: 'Every process has a pid, a parent, a process group and a session; PID 1 is special.', watch: 'the PID and PPID columns agree with what each process prints', zh: { title: 'PID、父进程、进程组与会话', summary: '每个进程都有 PID、父进程、进程组和会话；PID 1 很特殊。', watch: 'PID 和 PPID 两列与每个进程自己打印的一致' } },
  { number: 3, slug: 'exit', title: 'How a process ends', summary: 'Exit codes, exit handlers, what process.exit() loses, abort and signals.', watch: 'each child exits; its parent reports how', zh: { title: '进程如何结束', summary: '退出码、退出处理函数、process.exit() 会丢掉什么、abort 与信号。', watch: '每个子进程都退出了；父进程报告它是怎么结束的' } },
  { number: 4, slug: 'orphan', title: 'Orphans', summary: 'The parent dies first: the child is adopted by PID 1 or a subreaper.', watch: "the orphan's PPID changes to its adopter", zh: { title: '孤儿进程', summary: '父进程先退出：子进程被 PID 1 或 subreaper 收养。', watch: '孤儿进程的 PPID 变成收养它的进程' } },
  { number: 5, slug: 'zombie', title: 'Zombies', summary: 'The child dies first and nobody has collected its exit status yet.', watch: 'the child turns Z (red) until its parent reaps it', zh: { title: '僵尸进程', summary: '子进程先退出，而还没有人回收它的退出状态。', watch: '子进程变成 Z（红色），直到父进程回收它' } },
  { number: 6, slug: 'wait', title: 'Waiting for children', summary: 'wait() and waitpid() the Node way: blocking, polling, any child, exit statuses.', watch: 'children exit in one order and are reaped', zh: { title: '等待子进程', summary: 'Node 里的 wait() 和 waitpid()：阻塞、轮询、任意子进程、退出状态。', watch: '子进程按某种顺序退出，并被回收' }, exercise: { title: 'collect every child, report in the order they end', zh: '回收每个子进程，按它们结束的顺序报告' } },
  { number: 7, slug: 'double-fork', title: 'The double fork', summary: 'Hand a grandchild to init, which reaps it, so its parent need not wait; how daemons start.', watch: 'the middle process vanishes; the grandchild is adopted and leads its own session (s)', zh: { title: '二级子进程（两次 fork）', summary: '把二级子进程交给 init 或 subreaper 收养，结束时由它回收，父进程不必等它；Unix 守护进程就是这样启动的。', watch: '一级子进程消失；二级子进程被收养，并成为自己会话的会话组组长（s）' } },
  { number: 8, slug: 'signals', title: 'Signals', summary: 'SIGTERM, SIGINT, SIGSTOP/SIGCONT, SIGKILL and SIGCHLD.', watch: 'the child turns T when stopped and back when continued', zh: { title: '信号', summary: 'SIGTERM、SIGINT、SIGSTOP/SIGCONT、SIGKILL 和 SIGCHLD。', watch: '子进程被暂停时变成 T，继续后恢复原状' }, exercise: { title: 'stop gracefully on SIGTERM', zh: '收到 SIGTERM 时从容退出' } },
  { number: 9, slug: 'pool', title: 'A pool of worker processes', summary: 'Reuse N workers for many tasks: apply_async, map, close, join.', watch: 'exactly N workers, the same PIDs for every task', zh: { title: '进程池', summary: '用 N 个工作进程处理许多任务：apply_async、map、close、join。', watch: '始终正好 N 个工作进程，每个任务都由同样的 PID 处理' }, exercise: { title: "a pool's map: ordered results, reused workers", zh: '进程池的 map：结果有序，工作进程复用' } },
  { number: 10, slug: 'ipc', title: 'Pipes, channels and queues', summary: 'Talking between processes: pipes, the IPC channel, a queue, a named FIFO.', watch: 'the producer and consumer rows, and a channel keeping a child alive', zh: { title: '管道、通道与消息队列', summary: '进程间通信：管道、IPC 通道、消息队列、命名管道（FIFO）。', watch: '生产者和消费者两行，以及一个让子进程一直活着的通道' } },
  { number: 11, slug: 'unix-sockets', title: 'Unix domain sockets', summary: 'A stream server on a socket file; stale files and safe recovery.', watch: 'the server and client processes', zh: { title: 'Unix 套接字', summary: '套接字文件上的流式服务器；残留的套接字文件与安全的恢复。', watch: '服务器和客户端进程' }, exercise: { title: 'an echo server that survives a stale socket file', zh: '能应对残留套接字文件的回显服务器' } },
  { number: 12, slug: 'chatroom', title: 'A UDP chatroom', summary: "The course's group chat: a server, its admin console and clients, as processes.", watch: 'each client is a pair of processes; the server has an admin child', zh: { title: 'UDP 聊天室', summary: '课程里的群聊：服务器、它的管理员控制台和客户端，都是进程。', watch: '每个客户端是一对进程；服务器有一个管理员子进程' }, exercise: { title: "finish the chatroom's quit, server and client", zh: '完成聊天室的退出功能：服务器和客户端' } },
  { number: 13, slug: 'process-class', title: 'The Process class', summary: 'start, join, is_alive, exitcode, terminate and daemon, as in multiprocessing.', watch: 'each state of each child', zh: { title: 'Process 类', summary: '像 multiprocessing 那样：start、join、is_alive、exitcode、terminate 和 daemon。', watch: '每个子进程的每一个状态' } },
  { number: 14, slug: 'locks', title: 'Races, locks and semaphores', summary: 'Selling tickets from many processes: oversold without a lock, exact with one.', watch: 'the buyers and how many hold the semaphore at once', zh: { title: '竞争、锁与信号量', summary: '多个进程抢票：不加锁会超卖，加了锁正好卖完。', watch: '买票的进程，以及同时持有信号量的有几个' }, exercise: { title: 'sell every ticket exactly once, with a lock', zh: '用锁让每张票正好卖出一次' } },
  { number: 15, slug: 'shared-memory', title: 'Shared memory', summary: "The course's Value and Array for real: lost updates, and Atomics.", watch: 'several workers incrementing one counter', zh: { title: '共享内存', summary: '真正实现课程里的 Value 和 Array：丢失的更新，以及 Atomics。', watch: '几个工作进程给同一个计数器加数' } },
  { number: 16, slug: 'tcp-server', title: 'A TCP server, a process per connection', summary: 'Accept, hand each connection to a new process, and reap them.', watch: 'one worker per client, PPID = the server', zh: { title: 'TCP 服务器：每个连接一个进程', summary: 'accept，把每个连接交给一个新进程，再回收它们。', watch: '每个客户端一个工作进程，PPID = 服务器' } },
  { number: 17, slug: 'framing', title: 'Message framing', summary: 'TCP is a stream: a length prefix keeps message boundaries.', watch: 'the sender and receiver processes', zh: { title: '消息边界（粘包）', summary: 'TCP 是字节流：用长度前缀保住消息的边界。', watch: '发送进程和接收进程' }, exercise: { title: 'a frame decoder that survives split and merged chunks', zh: '能处理拆包和粘包的消息解码器' } },
  { number: 18, slug: 'multiplexing', title: 'I/O multiplexing: one process, many connections', summary: "select, poll and epoll: Node's event loop is an epoll instance watching every socket.", watch: 'one server process, no children, however many clients connect', zh: { title: 'IO 多路复用：一个进程，许多连接', summary: 'select、poll 和 epoll：Node 的事件循环就是一个监控所有套接字的 epoll 实例。', watch: '无论连上多少客户端，都只有一个服务器进程，没有子进程' } },
  { number: 19, slug: 'socketserver', title: 'socketserver: forking, threading, a remote-command server', summary: "The course's socketserver with a handle() class, and a server that runs allow-listed commands.", watch: 'a process per connection (forking) against one PID (threading); the command under the server', zh: { title: 'socketserver：进程、线程与远程命令', summary: '课程里带 handle() 的 socketserver，以及一个只执行白名单命令的服务器。', watch: '每个连接一个进程（Forking）对比只有一个 PID（Threading）；命令进程在服务器下面' } },
];
