// The checks' failure sentences in Chinese. A check writes its one sentence in English, with the
// values of the run in it; this table gives each sentence (values as `{}`, see templates.ts) its
// Chinese, in the course's terms (lessons/GLOSSARY.zh.md).
//
// Some values are words themselves: how a process ended ("exited with code 1"), who adopted an
// orphan ("the check"), a count with its noun ("3 children"), the advice a shared claim ends
// with, what the check was waiting for. Those parts are entries too: the translator puts a value
// in as its Chinese when the value is itself an entry. A part a check capitalises to start its
// sentence (capital() in claims.ts) is found in either case.
//
// test/zh/check-sentences.test.ts reads every sentence and every part the checks can write from
// their source and fails on one without an entry here, on an entry no check writes any more, and
// on a string with words in it that is neither (it must then be named in CHECK_KEPT_AS_WRITTEN,
// with the reason it is shown as it is).
//
// Adding a sentence to a check: add its template here, in the section of its file, with `{}`
// where each value goes (`{1}`, `{2}` … to put them in another order), then run
// `npx vitest run test/zh/check-sentences.test.ts`.
import type { Language } from './language.js';
import { fillTemplate, templatePattern, Translator } from './templates.js';

export const CHECK_SENTENCES_ZH: Record<string, string> = {
  // ── shared by every check: claims.ts, harness.ts, compile.ts, run-check.ts, network.ts ──
  'It was still running after {}, so the check stopped it (is it waiting for something that never comes, or is a child keeping it alive?).':
    '过了 {} 它还在运行，检查程序把它停掉了（它是在等一个永远不会来的东西，还是有子进程让它一直活着？）。',
  'It exited with code {}.': '它以退出码 {} 退出了。',
  'It exited with code {}: {}.': '它以退出码 {} 退出了：{}。',
  'It was killed by {}.': '它被 {} 杀死了。',
  'It was killed by {}: {}.': '它被 {} 杀死了：{}。',
  'The child {} was still running when its parent exited (an orphan, adopted by {}): {}': '父进程退出时，子进程 {} 还在运行（成了孤儿进程，被 {} 收养）：{}',
  'The child {} was collected by {}, not by its parent: {}': '子进程 {} 是被 {} 回收的，而不是被它的父进程回收：{}',
  'The child {} was still there when the run ended: {}': '运行结束时，子进程 {} 还在：{}',
  'the check': '检查程序',
  'killed by {}': '被 {} 杀死',
  'exit code {}': '退出码 {}',
  'exited with code {}': '以退出码 {} 退出了',
  'was killed by {}': '被 {} 杀死了',
  'came to an end': '结束了',
  'It {} while the check was waiting for {}.': '检查程序还在等{2}的时候，它就{1}。',
  'After {} the check was still waiting for {}.': '过了 {}，检查程序还在等{}。',
  'There is no file {} to check.': '没有要检查的文件 {}。',
  'It does not compile: {}.': '它编译不通过：{}。',
  'It does not compile: {}:{}:{}: {}.': '它编译不通过：{}:{}:{}: {}。',
  '{} is a link: a check reads only a plain file, never what a link points to.': '{} 是一个链接：检查程序只读普通文件，从不读链接指向的东西。',
  'It imports {}, which a check does not allow: an exercise may import only {} ({}:{}:{}).': '它导入了 {}，检查程序不允许这样做：练习只能导入{}（{}:{}:{}）。',
  'It imports {}, which a check does not allow: an exercise may import only {}.': '它导入了 {}，检查程序不允许这样做：练习只能导入{}。',
  'files in its own folder, node: modules, lib/lesson, lib/posix, lib/exercises/kit and chatroom/protocol': '它自己文件夹里的文件、node: 模块、lib/lesson、lib/posix、lib/exercises/kit 和 chatroom/protocol',
  'It was not run: {}': '它没有被运行：{}',
  "the sandbox's keeper (a subreaper that stands in for init)": '沙箱的看守进程（代替 init 的 subreaper）',
  "the sandbox's init (PID 1 of its pid namespace)": '沙箱的 init（它的 pid 命名空间里的 PID 1）',
  'The check itself failed (a bug in procbook, please report it): {}': '检查程序自身出错了（这是 procbook 的 bug，请报告它）：{}',
  "The sandbox's keeper did not answer the check's request for a socket within {}.": '检查程序向沙箱的看守进程要一个套接字，过了 {} 它还没有回应。',
  "The sandbox's keeper handed the check something other than the socket it asked for.": '沙箱的看守进程交给检查程序的，不是它要的那个套接字。',
  'The sandbox had ended before the check got the socket it asked for.': '检查程序还没拿到它要的套接字，沙箱就已经结束了。',
  'The check could not make a socket ({}).': '检查程序没能创建套接字（{}）。',

  // ── the nouns counted with plural() ──
  '{} child': '{} 个子进程',
  '{} children': '{} 个子进程',
  '{} worker': '{} 个工作进程',
  '{} workers': '{} 个工作进程',
  '{} result': '{} 个结果',
  '{} results': '{} 个结果',
  '{} item': '{} 个元素',
  '{} items': '{} 个元素',
  '{} process': '{} 个进程',
  '{} processes': '{} 个进程',
  '{} buyer process': '{} 个买票进程',
  '{} buyer processes': '{} 个买票进程',
  '{} buyer': '{} 个买票进程',
  '{} buyers': '{} 个买票进程',
  '{} client': '{} 个客户端',
  '{} clients': '{} 个客户端',
  '{} client was': '{} 个客户端',
  '{} clients were': '{} 个客户端',
  '{} other was': '另外 {} 个客户端',
  '{} others were': '另外 {} 个客户端',
  '{} child process': '{} 个子进程',
  '{} child processes': '{} 个子进程',
  '{} sale': '{} 次售出',
  '{} sales': '{} 次售出',

  // ── 01 fork: copy a file in two halves ──
  'This check reads what the kernel counted each process writing (/proc/<pid>/io), which only Linux has.':
    '这个检查要读取内核为每个进程统计的写入量（/proc/<pid>/io），只有 Linux 才有。',
  'The child pid {} was an orphan when it exited (adopted by {}): the parent must wait for its child (await exited(child)) before it exits.':
    '子进程 pid {} 退出时已经是孤儿进程（被 {} 收养）：父进程退出之前必须等待它的子进程（await exited(child)）。',
  'There is no copy: the target file was never created.': '没有副本：目标文件从来没有被创建。',
  'The copy has {} bytes but the source has {} (half = {}): its end is missing.': '副本有 {} 字节，而源文件有 {} 字节（一半 = {}）：副本缺了结尾。',
  'The copy has {} bytes but the source has {} (half = {}): the second half is missing.': '副本有 {} 字节，而源文件有 {} 字节（一半 = {}）：缺了后一半。',
  "The copy has {} bytes, {} more than the source's {}.": '副本有 {1} 字节，比源文件的 {3} 字节多了 {2} 字节。',
  "The copy begins with the source's second half (byte {} of the source is byte 0 of the copy): each half must be written at its own offset in the target (a write without a position goes where the descriptor's offset is, 0 for a file just opened).":
    '副本的开头是源文件的后一半（源文件的第 {} 字节成了副本的第 0 字节）：每一半都必须写到目标文件里它自己的偏移处（不指定位置的 write 会写到文件描述符当前的偏移处，刚打开的文件是 0）。',
  'The copy differs from the source at byte {} of {}, in the first half (half = {}).': '副本从第 {} 字节（共 {} 字节）起和源文件不同，在前一半里（一半 = {}）。',
  'The copy differs from the source at byte {} of {}, in the first half (half = {}): there are zero bytes where the source has data (was the file emptied, e.g. opened with "w", after that part was written?).':
    '副本从第 {} 字节（共 {} 字节）起和源文件不同，在前一半里（一半 = {}）：源文件有数据的地方，副本里全是零字节（是不是那一部分写好之后，文件又被清空了，比如用 "w" 打开？）。',
  'The copy differs from the source at byte {} of {}, in the second half (half = {}).': '副本从第 {} 字节（共 {} 字节）起和源文件不同，在后一半里（一半 = {}）。',
  'The copy differs from the source at byte {} of {}, in the second half (half = {}): there are zero bytes where the source has data (was the file emptied, e.g. opened with "w", after that part was written?).':
    '副本从第 {} 字节（共 {} 字节）起和源文件不同，在后一半里（一半 = {}）：源文件有数据的地方，副本里全是零字节（是不是那一部分写好之后，文件又被清空了，比如用 "w" 打开？）。',
  'Only one process ran: start a child (forkSelf) to copy the second half.': '只运行了一个进程：启动一个子进程（forkSelf）来拷贝后一半。',
  'The parent never reported what the kernel counted it writing (it must run this file and exit normally).': '父进程没有报告内核为它统计的写入量（它必须运行这个文件，并正常退出）。',
  'The kernel counted the parent writing only {} bytes, less than its half ({} bytes): the parent must copy the first half itself.':
    '内核统计到父进程只写了 {} 字节，不到它那一半（{} 字节）：前一半必须由父进程自己拷贝。',
  'No child wrote its half: the kernel counted the children writing {} bytes, and a half is {} bytes.': '没有哪个子进程写了它的那一半：内核统计的子进程写入字节数是 {}，而一半是 {} 字节。',
  'nothing reported': '（没有报告）',
  'the parent must wait for its child (await exited(child)) before it exits.': '父进程退出之前必须等待它的子进程（await exited(child)）。',
  'The child {} did not end well (code {}, signal {}).': '子进程 {} 没有正常结束（退出码 {}，信号 {}）。',

  // ── 02 pids: every process reports who it is; one child leads a session ──
  'It started {}; it should start the {} it is given.': '它启动了 {}；应当启动给定的 {} 个。',
  '{} made no report: every process calls report() itself.': '{}没有报告：每个进程都要自己调用 report()。',
  'the parent': '父进程',
  'the child {}': '子进程 {}',
  '{} reported {} as {}, but the kernel shows {}.': '{}报告{}：{}，但内核显示的是 {}。',
  'its pid': '自己的 pid',
  "its parent's pid": '父进程的 pid',
  'its process group': '所在的进程组',
  'its session': '所在的会话',
  'A report came from pid {}, which is neither the parent nor one of its children.': '有一份报告来自 pid {}，它既不是父进程，也不是父进程的子进程。',
  'The child numbered {}, {},': '编号为 {} 的子进程 {}',
  '{} should lead a session of its own, but the kernel shows it in session {}: start it in a new session (setsid).': '{}应当是自己会话的会话组组长，但内核显示它在会话 {} 里：让它在一个新会话里启动（setsid）。',
  '{} leads a session but is in process group {}, not its own.': '{}是会话组组长，却在进程组 {} 里，而不在它自己的进程组里。',
  '{} never showed `s` in its STAT ({}), so it was not a session leader.': '{}的 STAT 里从来没有出现过 `s`（{}），所以它不是会话组组长。',
  "The child {} left the parent's session (it is in session {}); only child {} should lead a session of its own.": '子进程 {} 离开了父进程的会话（它在会话 {} 里）；只有编号为 {} 的子进程应当是自己会话的会话组组长。',
  'the parent waits for every child.': '父进程要等待每一个子进程。',

  // ── 03 exit: end each child the way it is told, and lose no output ──
  'It started {}; there should be {}.': '它启动了 {}；应当是 {} 个。',
  'The kernel gave no exit status for child {} ({}).': '内核没有给出第 {} 个子进程（{}）的退出状态。',
  'Child {}, {},': '第 {} 个子进程 {}',
  '{} ended with {}; it was told {}.': '{}的结束方式是：{}；而要求它的是：{}。',
  '{} ended with {}; it was told {} ({} = 128 + the signal\'s number is how a shell shows a death by signal; the status itself says "killed by").':
    '{}的结束方式是：{}；而要求它的是：{}（{} = 128 + 信号编号，这只是 shell 显示“被信号杀死”的方式；退出状态本身说的是“被……杀死”）。',
  'to exit with code {}': '以退出码 {} 退出',
  'to be killed by {}': '被 {} 杀死',
  'to abort() (killed by SIGABRT)': '调用 abort()（被 SIGABRT 杀死）',
  'The parent never reported child {}.': '父进程从来没有报告第 {} 个子进程。',
  '{} ended as told, but its parent received only {} of its {} bytes: it ended before Node had handed its whole message to the kernel: wait until stdout has written everything, then end.':
    '{1}按要求结束了，但它的父进程只收到了它 {3} 字节中的 {2} 字节：它在 Node 把整条消息交给内核之前就结束了：等 stdout 把所有内容都写出去，再结束。',
  '{} ended as told, but its parent received only {} of its {} bytes: process.exit() ends the process before Node has written everything; process.exitCode lets it finish first.':
    '{1}按要求结束了，但它的父进程只收到了它 {3} 字节中的 {2} 字节：process.exit() 在 Node 写完所有内容之前就结束了进程；process.exitCode 会让它先写完。',

  // ── 04 orphan: make an orphan that notices its adoption ──
  'The parent was still running {} s after it started, {} ms were asked: let it exit without waiting for its child (what keeps a Node parent alive while a child runs?).':
    '父进程启动 {} s 之后还在运行，而要求的是 {} ms：让它不等子进程就退出（子进程运行期间，是什么让 Node 的父进程一直活着？）。',
  'The parent {}; it should exit with code 0.': '父进程{}；它应当以退出码 0 退出。',
  'The parent started {}; it should start one.': '父进程启动了 {}；应当只启动一个。',
  'The child {} was never adopted: it ended while its parent was still there. The parent must exit first.': '子进程 {} 从来没有被收养：它结束时父进程还在。父进程必须先退出。',
  'While it waited for its parent to go, the child {} was running (STAT R) {}% of the time: it spins in a loop. Sleep between looks (a timer), so the event loop waits in the kernel.':
    '在等父进程离开的时候，子进程 {} 有 {}% 的时间在运行（STAT R）：它在循环里空转。两次查看之间睡一会儿（用定时器），让事件循环在内核里等待。',
  'The orphan {} never reported its adoption: report who it was born to and who adopted it.': '孤儿进程 {} 没有报告它被收养：报告它出生时的父进程是谁、收养它的又是谁。',
  'The orphan reported it was born to {}, but its parent was {}.': '孤儿进程报告它出生时的父进程是 {}，但它的父进程其实是 {}。',
  'The orphan reported it was adopted by {}, but the kernel shows {} (pid {}) as its new parent: read process.ppid again once the parent is gone.':
    '孤儿进程报告收养它的是 {}，但内核显示它的新父进程是 {}（pid {}）：父进程不在之后，再读一次 process.ppid。',
  'The orphan reported its adoption before its parent had exited.': '孤儿进程在父进程退出之前就报告了自己被收养。',
  'The orphan {} was still running {} s after its parent exited: once adopted, it should report and end.': '父进程退出 {2} s 之后，孤儿进程 {1} 还在运行：一旦被收养，它应当报告，然后结束。',
  'The orphan {} {}; it should end with code 0.': '孤儿进程 {} {}；它应当以退出码 0 结束。',

  // ── 05 zombie: hold a zombie for a while, then reap it ──
  'The child {} did not end as written (exit code {}): do not change the child.': '子进程 {} 没有按写好的方式结束（退出码 {}）：不要改动子进程。',
  'The child {} was never seen a zombie (STAT Z): its parent collected it at once. Keep it uncollected for about {} ms first.':
    '从没看到子进程 {} 成为僵尸进程（STAT Z）：它的父进程立刻就回收了它。先让它保持未回收的状态大约 {} ms。',
  'The child {} was a zombie for only {} ms; about {} ms were asked.': '子进程 {} 只当了 {} ms 的僵尸进程；要求的是大约 {} ms。',
  'The child {} stayed a zombie for {} ms, far longer than the {} ms asked.': '子进程 {} 当了 {} ms 的僵尸进程，远远超过要求的 {} ms。',
  'The zombie {} was collected by {}, not by its parent: the parent exited without reaping it. Wait for the child before exiting.':
    '僵尸进程 {} 是被 {} 回收的，而不是被它的父进程：父进程没有回收它就退出了。退出之前先等待子进程。',
  'The parent never reported the child it reaped.': '父进程没有报告它回收的子进程。',
  'The parent reported pid {}, but its child was {}.': '父进程报告的 pid 是 {}，但它的子进程是 {}。',
  "The parent reported exit code {}, but the kernel says {}: take the status from the child's exit, once it has been reaped.": '父进程报告的退出码是 {}，但内核给出的是 {}：等子进程被回收之后，从它的退出里取得退出状态。',

  // ── 06 wait: collect every child, report in the order they end ──
  'It reported no status: call report(child, code, signal) once for each child, as it ends.': '它没有报告任何退出状态：每个子进程结束时，为它调用一次 report(child, code, signal)。',
  'It reported pid {}, which is not one of its children.': '它报告了 pid {}，这不是它的子进程。',
  'It reported {} twice: report each child once.': '它把 {} 报告了两次：每个子进程只报告一次。',
  'It reported {} as {}, but the kernel says exit code {}.': '它报告 {} 的结果是 {}，但内核给出的是退出码 {}。',
  'It reported {} as {}, but the kernel says killed by {}.': '它报告 {} 的结果是 {}，但内核给出的是被 {} 杀死。',
  'It reported {} of {} children: {} was never reported.': '它只报告了 {2} 个子进程中的 {1} 个：{3} 从来没有被报告。',
  'It reported {} of {} children: {} were never reported.': '它只报告了 {2} 个子进程中的 {1} 个：{3} 从来没有被报告。',
  "{} stayed a zombie (STAT Z) for {} ms: its status was not collected while the parent's event loop was busy (no busy loop, no blocking sleep).":
    '{} 当了 {} ms 的僵尸进程（STAT Z）：父进程的事件循环忙着的时候，它的退出状态没法被回收（不要忙等循环，也不要阻塞式的 sleep）。',
  '{} ended before {} but was reported after it: report each child as it ends, not in the order they were started.': '{} 比 {} 先结束，却在它之后才被报告：每个子进程一结束就报告，而不是按启动的顺序。',
  '{} was reported {} ms after it ended: report each child as soon as it ends, not all at the end.': '{} 结束 {} ms 之后才被报告：每个子进程一结束就报告，而不是最后一起报告。',
  'the parent must wait for every child before it exits.': '父进程退出之前必须等待每一个子进程。',
  'The parent never said "{}": reapAll() never returned.': '父进程从来没有打印 "{}"：reapAll() 一直没有返回。',
  'The parent said "{}" while {} was still running: reapAll() must return only once every child has ended (await them all).':
    '父进程打印 "{}" 的时候，{} 还在运行：reapAll() 必须等每个子进程都结束之后才返回（把它们全都 await 完）。',
  'The parent said "{}" while {} were still running: reapAll() must return only once every child has ended (await them all).':
    '父进程打印 "{}" 的时候，{} 都还在运行：reapAll() 必须等每个子进程都结束之后才返回（把它们全都 await 完）。',

  // ── 07 double fork: start a daemon with a double fork ──
  'No daemon ran: the middle process should start one (role "daemon").': '没有守护进程在运行：一级子进程应当启动一个（角色 "daemon"）。',
  "The launcher did the daemon's work itself: start a middle process, which starts the daemon and exits.": '启动器自己做了守护进程的工作：启动一个一级子进程，由它启动守护进程，然后退出。',
  'The daemon pid {} was never seen in the table.': '进程表里从来没有出现过守护进程 pid {}。',
  'The daemon {} was started by the launcher itself: a double fork starts it from a middle process that exits at once.': '守护进程 {} 是启动器自己启动的：两次 fork 是由一个立刻退出的一级子进程来启动它。',
  'The launcher started no middle process: it starts one, which starts the daemon.': '启动器没有启动一级子进程：它要启动一个，由一级子进程启动守护进程。',
  'The launcher started {} processes; it should start one, the middle process.': '启动器启动了 {} 个进程；它应当只启动一个，也就是一级子进程。',
  "The daemon {} was never seen as the middle process's child.": '从来没有看到守护进程 {} 是一级子进程的子进程。',
  'The middle process {} {}; it should exit with code 0.': '一级子进程 {} {}；它应当以退出码 0 退出。',
  'The middle process {} was collected by {}, not by the launcher: the launcher must wait for it.': '一级子进程 {} 是被 {} 回收的，而不是被启动器：启动器必须等待它。',
  'The daemon {} was never adopted: the middle process must exit at once, without waiting for it.': '守护进程 {} 从来没有被收养：一级子进程必须立刻退出，不等它。',
  "The daemon {} is in session {}, the launcher's: start it in a session of its own (setsid).": '守护进程 {} 在会话 {} 里，那是启动器的会话：让它在一个自己的会话里启动（setsid）。',
  'The daemon {} never showed `s` in its STAT: it is not the leader of its session.': '守护进程 {} 的 STAT 里从来没有出现过 `s`：它不是所在会话的会话组组长。',
  'The daemon {} ended before the launcher: the launcher must not wait for the daemon, only for the middle process.': '守护进程 {} 比启动器先结束：启动器不能等守护进程，只等一级子进程。',
  'While it ran, the pid file named nothing, not the daemon (pid {}).': '运行期间，pid 文件里什么也没写，而不是守护进程（pid {}）。',
  'While it ran, the pid file named pid {}, not the daemon (pid {}).': '运行期间，pid 文件里写的是 pid {}，而不是守护进程（pid {}）。',
  'The daemon {} was still running long after its work should have ended.': '守护进程 {} 的工作早该结束了，它却还在运行。',
  'The daemon {} {}; it should end with code 0.': '守护进程 {} {}；它应当以退出码 0 结束。',
  'The pid file was still there after the daemon ended.': '守护进程结束之后，pid 文件还在。',

  // ── 08 signals: stop gracefully on SIGTERM ──
  'its {} to be at work (in the table, each with a "start" line in the log)': '它的 {}开始工作（都出现在进程表里，日志里各有一行 "start"）',
  'The service wrote no pid file.': '服务没有写 pid 文件。',
  "The main process was killed by SIGTERM (Node's default action): give it a handler, process.on('SIGTERM', …).": "主进程被 SIGTERM 杀死了（Node 的默认动作）：给它一个处理函数，process.on('SIGTERM', …)。",
  'It was still running {} s after SIGTERM, and so was {}: pass SIGTERM on to the workers, make them stop after the job in hand, and let the main process end once they have.':
    '收到 SIGTERM {} s 之后它还在运行，{} 也还在：把 SIGTERM 转给工作进程，让它们做完手头的工作就停下，等它们都停了再让主进程结束。',
  'It was still running {} s after SIGTERM, and so were {}: pass SIGTERM on to the workers, make them stop after the job in hand, and let the main process end once they have.':
    '收到 SIGTERM {} s 之后它还在运行，{} 也都还在：把 SIGTERM 转给工作进程，让它们做完手头的工作就停下，等它们都停了再让主进程结束。',
  'It was still running {} s after SIGTERM: pass SIGTERM on to the workers, make them stop after the job in hand, and let the main process end once they have.':
    '收到 SIGTERM {} s 之后它还在运行：把 SIGTERM 转给工作进程，让它们做完手头的工作就停下，等它们都停了再让主进程结束。',
  'After SIGTERM the main process exited with code {}: {}; a graceful stop ends with code 0.': '收到 SIGTERM 之后，主进程以退出码 {} 退出了：{}；从容退出应当以退出码 0 结束。',
  'After SIGTERM the main process exited with code {}; a graceful stop ends with code 0.': '收到 SIGTERM 之后，主进程以退出码 {} 退出了；从容退出应当以退出码 0 结束。',
  'After SIGTERM the main process was killed by {}: {}; a graceful stop ends with code 0.': '收到 SIGTERM 之后，主进程被 {} 杀死了：{}；从容退出应当以退出码 0 结束。',
  'After SIGTERM the main process was killed by {}; a graceful stop ends with code 0.': '收到 SIGTERM 之后，主进程被 {} 杀死了；从容退出应当以退出码 0 结束。',
  "Worker {} was killed by {} (Node's default action) in the middle of its job: give the workers a SIGTERM handler too, that lets the job in hand finish.":
    '工作进程 {} 在工作做到一半时被 {} 杀死了（Node 的默认动作）：也给工作进程一个 SIGTERM 处理函数，让手头的工作做完。',
  'Worker {} was killed by {}.': '工作进程 {} 被 {} 杀死了。',
  'Worker {} exited with code {}; a graceful stop ends with code 0.': '工作进程 {} 以退出码 {} 退出了；从容退出应当以退出码 0 结束。',
  'the main process must wait for every worker before it exits.': '主进程退出之前必须等待每一个工作进程。',
  'Worker pid {} started job {} and never finished it: a graceful stop lets the job in hand finish.': '工作进程 pid {} 开始了工作 {}，却没有做完：从容退出要让手头的工作做完。',
  'The pid file is still there after the service stopped: remove it on the way out.': '服务停止之后，pid 文件还在：退出时删掉它。',

  // ── 09 pool: a pool's map, ordered results, reused workers ──
  "The pool's map never resolved with its results.": '进程池的 map 始终没有带着结果完成。',
  "The pool's map returned {} for {}.": '进程池的 map 为 {2}返回了 {1}。',
  "Result {} is the square of item {} ({}), not of item {} ({}): the results must come in the items' order, not in the order the workers finish.":
    '第 {} 个结果是第 {} 个元素（{}）的平方，而不是第 {} 个元素（{}）的：结果必须按元素的顺序排列，而不是按工作进程完成的顺序。',
  'Result {} is {}, but item {} is {} and its square is {}.': '第 {} 个结果是 {}，但第 {} 个元素是 {}，它的平方是 {}。',
  '{} worker processes ran for {}: a pool of {} starts its workers once and reuses them; start no process in map.':
    '为 {2}运行了 {1} 个工作进程：大小为 {3} 的进程池只启动一次工作进程，然后反复使用它们；不要在 map 里启动进程。',
  'Worker {} was given item {} while still working on item {}: give a worker its next item only once it has sent back its result.':
    '工作进程 {1} 还在处理元素 {3} 时，又被分到了元素 {2}：工作进程送回结果之后，才给它下一个元素。',
  'Worker {} did no item: give every idle worker an item.': '工作进程 {} 一个元素也没处理：给每个空闲的工作进程一个元素。',
  'The items were done one at a time: give every idle worker an item, so the workers run at the same time.': '元素是一个接一个处理的：给每个空闲的工作进程一个元素，让工作进程同时运行。',
  'the pool closes its workers and waits for them.': '进程池要关闭它的工作进程，并等待它们。',

  // ── 10 ipc: a producer and a consumer, siblings joined by a FIFO ──
  'It was still running after 8 s (still there: {}): a reader sees the end of a FIFO only once every writer has closed it, and opening one end waits until the other end is opened.':
    '过了 8 s 它还在运行（还在的有：{}）：只有所有写端都关闭了，读的一方才会读到命名管道（FIFO）的结尾；而打开一端时，会一直等到另一端也被打开。',
  'It was still running after 8 s: a reader sees the end of a FIFO only once every writer has closed it, and opening one end waits until the other end is opened.':
    '过了 8 s 它还在运行：只有所有写端都关闭了，读的一方才会读到命名管道（FIFO）的结尾；而打开一端时，会一直等到另一端也被打开。',
  'No item was reported: the consumer calls got(item) for each of the {} items it reads.': '没有报告任何数据：消费者每读到一个数据就调用一次 got(item)，一共 {} 个。',
  'The items were read by main: a consumer, a child of main, must read them (main only joins its two children).': '数据是主进程读的：必须由消费者（主进程的一个子进程）来读（主进程只负责等它的两个子进程结束）。',
  'Items were reported by {} processes; one consumer reads them all.': '有 {} 个进程报告了数据；应当由一个消费者读全部数据。',
  'The items were reported by pid {}, which is not a child of main.': '报告数据的是 pid {}，它不是主进程的子进程。',
  'Main started {}; it should start two, a producer and a consumer.': '主进程启动了 {}；应当启动两个：一个生产者，一个消费者。',
  'The consumer got {} of {} items; item {} ({}) never came: read until read() returns 0, the end.': '消费者只收到了 {2} 个数据中的 {1} 个；第 {3} 个数据（{4}）始终没有来：一直读到 read() 返回 0，也就是结尾。',
  "The consumer's item {} was {}, but the producer's was {}.": '消费者的第 {} 个数据是 {}，但生产者写的是 {}。',
  'The consumer got {} items, but {} were written.': '消费者收到了 {} 个数据，但写入的只有 {} 个。',
  'The consumer {} {}; it should end by itself with code 0.': '消费者 {} {}；它应当自己以退出码 0 结束。',
  'The producer {} {}; it should end by itself with code 0.': '生产者 {} {}；它应当自己以退出码 0 结束。',
  'main waits for both.': '主进程要等待这两个子进程。',
  'The FIFO was still there after main exited: remove it (unlinkSync) once both are done.': '主进程退出之后，命名管道（FIFO）还在：两个子进程都结束之后，删掉它（unlinkSync）。',

  // ── 11 unix sockets: an echo server that survives a stale socket file ──
  'could not leave a stale socket file at {}': '没能在 {} 留下一个残留的套接字文件',
  'it to accept a connection at its socket path (where a stale socket file was)': '它在自己的套接字路径上接受连接（那里原有一个残留的套接字文件）',
  'It exited with code 0 while the check was waiting for it to accept a connection at its socket path (where a stale socket file was).':
    '检查程序还在等它在自己的套接字路径上接受连接（那里原有一个残留的套接字文件）的时候，它就以退出码 0 退出了。',
  'With only a stale socket file at the path (left by a server that was killed), it {} ({}) instead of listening: nobody answers there (ECONNREFUSED), so the file is stale and may be removed.':
    '那个路径上只有一个残留的套接字文件（是一个被杀死的服务器留下的），它却没有开始监听，而是 {}（{}）：那里没有人应答（ECONNREFUSED），所以这个文件是残留的，可以删掉。',
  'With only a stale socket file at the path (left by a server that was killed), it {} instead of listening: nobody answers there (ECONNREFUSED), so the file is stale and may be removed.':
    '那个路径上只有一个残留的套接字文件（是一个被杀死的服务器留下的），它却没有开始监听，而是 {}：那里没有人应答（ECONNREFUSED），所以这个文件是残留的，可以删掉。',
  'It refused a second client while the first was connected.': '第一个客户端连着的时候，它拒绝了第二个客户端。',
  'Client {} sent {} bytes and got nothing back within 3 s: send back to each client what it sends.': '客户端 {} 发送了 {} 字节，3 s 内什么也没收到：把每个客户端发来的内容原样发回去。',
  'Client {} sent {} and got back {}.': '客户端 {} 发送了 {}，收回的却是 {}。',
  "It was killed by SIGTERM (Node's default action), so its socket file stayed: on SIGTERM, close the server.": '它被 SIGTERM 杀死了（Node 的默认动作），所以套接字文件留了下来：收到 SIGTERM 时，关闭服务器。',
  'It was still running 3 s after SIGTERM (its clients had gone): on SIGTERM, close the server and let the process end.': '收到 SIGTERM 3 s 之后它还在运行（它的客户端都已经离开了）：收到 SIGTERM 时，关闭服务器，让进程结束。',
  'After SIGTERM it exited with code {}: {}; it should exit with code 0.': '收到 SIGTERM 之后，它以退出码 {} 退出了：{}；它应当以退出码 0 退出。',
  'After SIGTERM it exited with code {}; it should exit with code 0.': '收到 SIGTERM 之后，它以退出码 {} 退出了；它应当以退出码 0 退出。',
  'After SIGTERM it was killed by {}: {}; it should exit with code 0.': '收到 SIGTERM 之后，它被 {} 杀死了：{}；它应当以退出码 0 退出。',
  'After SIGTERM it was killed by {}; it should exit with code 0.': '收到 SIGTERM 之后，它被 {} 杀死了；它应当以退出码 0 退出。',
  'Its socket file was still there after it exited: close the server (server.close() removes the file) before exiting.': '它退出之后，套接字文件还在：退出之前关闭服务器（server.close() 会删除这个文件）。',
  "With another server alive at the path, it removed that server's socket file: remove the file only when nobody answers (ECONNREFUSED).":
    '那个路径上还有另一个活着的服务器，它却删掉了那个服务器的套接字文件：只有没人应答（ECONNREFUSED）时才删除文件。',
  "With another server alive at the path, it replaced that server's socket file with its own: remove the file only when nobody answers (ECONNREFUSED).":
    '那个路径上还有另一个活着的服务器，它却用自己的套接字文件换掉了那个服务器的：只有没人应答（ECONNREFUSED）时才删除文件。',
  'With another server alive at the path, that server no longer answered afterwards.': '那个路径上还有另一个活着的服务器，之后那个服务器却不再应答了。',
  'With another server alive at the path, it was still running after 5 s: it should say so and exit with code 1.': '那个路径上还有另一个活着的服务器，过了 5 s 它还在运行：它应当说明这一点，并以退出码 1 退出。',
  'With another server alive at the path, it exited with code 0: it should say so and exit with code 1.': '那个路径上还有另一个活着的服务器，它却以退出码 0 退出了：它应当说明这一点，并以退出码 1 退出。',

  // ── 12 chatroom: finish the chatroom's quit, server and client ──
  'the server to bind UDP port {}': '服务端绑定 UDP 端口 {}',
  'The server answered "L {}" with {}, not OK.': '服务端对 "L {}" 的回答是 {}，而不是 OK。',
  'nothing': '（什么也没有）',
  'The server did not answer "L {}" with OK.': '服务端没有用 OK 回答 "L {}"。',
  'After "Q {}", the server sent {} nothing within {} s: send EXIT to the one leaving.': '收到 "Q {1}" 之后，服务端 {3} s 内什么也没发给 {2}：给离开的人发送 EXIT。',
  'After "Q {}", the server sent {} {}, not EXIT.': '收到 "Q {1}" 之后，服务端发给 {2} 的是 {3}，而不是 EXIT。',
  'After "Q {}", {} was sent {}: tell everyone else {}.': '收到 "Q {}" 之后，发给 {} 的是 {}：应当告诉其他每个人 {}。',
  'After "Q {}", {} was told nothing: tell everyone else {}.': '收到 "Q {}" 之后，{} 什么也没收到：应当告诉其他每个人 {}。',
  'The server ended after "Q {}"; it should go on serving the others.': '收到 "Q {}" 之后服务端就结束了；它应当继续为其他人服务。',
  'After {} left, "L {}" from another client was answered {}, not OK: forget the name of the one who left.': '{} 离开之后，另一个客户端发来的 "L {}" 得到的回答是 {}，而不是 OK：忘掉离开的人的名字。',
  'with nothing': '（没有回答）',
  'A chat line from {} did not reach the new {}.': '{} 发的一行聊天消息没有到达新的 {}。',
  'The old {}, who had left, still got {}: forget the address of the one who left.': '已经离开的原来的 {} 还收到了 {}：忘掉离开的人的地址。',
  'the client to join (L {})': '客户端加入（L {}）',
  "The client's first datagram was {}, not \"L {}\".": '客户端的第一个数据报是 {}，而不是 "L {}"。',
  'After joining, the client sent {}, not the line typed.': '加入之后，客户端发送的是 {}，而不是输入的那一行。',
  'After `quit` was typed, the client sent nothing within 3 s: send "Q {}".': '输入 `quit` 之后，客户端 3 s 内什么也没发送：应当发送 "Q {}"。',
  'After `quit` was typed, the client sent {}, not "Q {}".': '输入 `quit` 之后，客户端发送的是 {}，而不是 "Q {}"。',
  "The client had already exited when the server's EXIT came: the receiver ends on EXIT, not before (the server may still have lines for it).":
    '服务端的 EXIT 到来时，客户端已经退出了：接收进程收到 EXIT 才结束，不能更早（服务端可能还有消息要发给它）。',
  "After EXIT, the client was still running 3 s later (and so was its sender, {}): on EXIT, close the receiver's socket and wait for the sender to end.":
    '收到 EXIT 3 s 之后，客户端还在运行（它的发送进程 {} 也还在）：收到 EXIT 时，关闭接收进程的套接字，并等待发送进程结束。',
  "After EXIT, the client was still running 3 s later: on EXIT, close the receiver's socket and wait for the sender to end.":
    '收到 EXIT 3 s 之后，客户端还在运行：收到 EXIT 时，关闭接收进程的套接字，并等待发送进程结束。',
  "After EXIT, the client's receiver exited with code {}: {}; it should end with code 0.": '收到 EXIT 之后，客户端的接收进程以退出码 {} 退出了：{}；它应当以退出码 0 结束。',
  "After EXIT, the client's receiver exited with code {}; it should end with code 0.": '收到 EXIT 之后，客户端的接收进程以退出码 {} 退出了；它应当以退出码 0 结束。',
  "After EXIT, the client's receiver was killed by {}: {}; it should end with code 0.": '收到 EXIT 之后，客户端的接收进程被 {} 杀死了：{}；它应当以退出码 0 结束。',
  "After EXIT, the client's receiver was killed by {}; it should end with code 0.": '收到 EXIT 之后，客户端的接收进程被 {} 杀死了；它应当以退出码 0 结束。',
  "The client's sender {} was killed by {}: after sending Q it should end by itself.": '客户端的发送进程 {} 被 {} 杀死了：发送 Q 之后，它应当自己结束。',
  "The client's sender {} exited with code {}; it should end with code 0.": '客户端的发送进程 {} 以退出码 {} 退出了；它应当以退出码 0 结束。',
  'the receiver must wait for the sender before it ends.': '接收进程结束之前必须等待发送进程。',

  // ── 13 process class: a Process subclass with run() ──
  'No run() ran for {}: make one process per name, and start() it.': '没有为 {} 运行过 run()：每个名字创建一个进程，并 start() 它。',
  'The run() of {} ran {} times; once per process.': '{} 的 run() 运行了 {} 次；每个进程应当只运行一次。',
  'The run() of {} ran in main itself (pid {}): p.run() is a plain method call; p.start() runs run() in a new process.': '{} 的 run() 就在主进程里运行（pid {}）：p.run() 只是普通的方法调用；p.start() 才会在一个新进程里运行 run()。',
  'The run() of {} ran in pid {}, which is not a child of main.': '{} 的 run() 在 pid {} 里运行，它不是主进程的子进程。',
  'Two names ran in the same process: each Process is a process of its own.': '两个名字在同一个进程里运行：每个 Process 都是一个独立的进程。',
  'The {} never ran at the same time: start() them all first, then join() them.': '这 {} 从来没有同时运行过：先把它们全部 start()，再 join() 它们。',
  'The main process never called joined(): call it once every process has been joined.': '主进程从来没有调用 joined()：每个进程都 join 过之后，调用它。',
  'The main process called joined() while {} was still running: join() every process first (and await it).': '{} 还在运行时，主进程就调用了 joined()：先 join() 每个进程（并 await 它）。',
  'The main process gave joined() {}; it takes the {} processes.': '主进程传给 joined() 的是 {}；它应当接收这 {} 个进程。',
  'no list': '一个不是列表的值',
  '{} had exitcode {} when joined() was called; joined processes have ended, with 0.': '调用 joined() 时，{} 的 exitcode 是 {}；join 过的进程已经结束，exitcode 应当是 0。',
  'a process that was never started': '一个从未启动的进程',
  'main joins every process.': '主进程要 join 每一个进程。',

  // ── 14 locks: sell every ticket exactly once, with a lock ──
  '{} ran; there should be {}.': '运行了 {}；应当是 {} 个。',
  'The buyers never ran at the same time: they must sell concurrently, the lock only guards read-pay-write.': '买票进程从来没有同时运行过：它们必须并发地卖票，锁只保护“读库存、付款、写库存”这一段。',
  'The sale "{}" names pid {}, which is not one of the buyers.': '售出记录 "{}" 写的是 pid {}，它不是买票进程之一。',
  'Ticket {} was sold {} times (by pids {}), and {} sales were made for {} tickets: reading the stock, taking the payment and writing the stock back must happen under the lock.':
    '第 {1} 张票被卖了 {2} 次（由 pid {3} 卖出），{5} 张票一共售出了 {4} 次：读库存、付款、写回库存都必须在锁里完成。',
  'Ticket {} of {} was never sold ({} in all).': '{2} 张票中的第 {1} 张从来没有卖出（一共 {3}）。',
  'Every ticket was sold, but the stock says {} are left, not 0.': '每张票都卖出了，但库存显示还剩 {}，而不是 0。',
  'The stock was sold out and a buyer had ended, but the lock file {} stayed for {} while {} went on waiting for it: release the lock on every way out of the loop, the sold-out one too.':
    '票已经卖完，也有买票进程结束了，但锁文件 {} 留了 {}，而 {} 还在一直等它：在循环的每一个出口都要释放锁，票卖完时的那个出口也一样。',
  'The file {} was left in the folder: release the lock (remove the file) when done.': '文件 {} 留在了文件夹里：用完之后释放锁（删除这个文件）。',

  // ── 15 shared memory: one counter, many processes, no update lost ──
  'This check maps a file of /dev/shm (POSIX shared memory), which this system does not have.': '这个检查要映射 /dev/shm 里的一个文件（POSIX 共享内存），这个系统没有它。',
  'Main started {}; it should start {}.': '主进程启动了 {}；应当启动 {} 个。',
  'Worker {} {}.': '工作进程 {} {}。',
  'The counter in the shared file is still 0 after {} workers x {} increments: each worker must add to the memory mapped from the file, not to memory of its own.':
    '{} 个工作进程 x {} 次加一之后，共享文件里的计数器还是 0：每个工作进程都必须加到从文件映射来的内存上，而不是加到自己的内存上。',
  'The counter in the shared file is {}, not {} x {} = {}: more was added than asked.': '共享文件里的计数器是 {}，而不是 {} x {} = {}：加得比要求的还多。',
  'The counter in the shared file is {}, not {} x {} = {}: updates were lost (read, add and write back must be one indivisible step).':
    '共享文件里的计数器是 {}，而不是 {} x {} = {}：有更新丢失了（读、加、写回必须是一个不可分割的步骤）。',
  'Main never reported the total.': '主进程没有报告总数。',
  "Main reported {}, but the shared counter holds {}: read it through main's own mapping, once every worker has ended.": '主进程报告的是 {}，但共享计数器里是 {}：等每个工作进程都结束之后，通过主进程自己的映射读取它。',
  'main waits for every worker.': '主进程要等待每一个工作进程。',

  // ── 16 tcp server: a process per connection ──
  'the server to accept connections on port {}': '服务器在端口 {} 上接受连接',
  'Client {} could not connect while {} was connected.': '已有 {2} 个客户端连着时，客户端 {1} 连不上。',
  'Client {} could not connect while {} were connected.': '已有 {2} 个客户端连着时，客户端 {1} 连不上。',
  'Client {} sent {} and got no answer within 4 s while the other clients were connected.': '在其他客户端都连着的时候，客户端 {} 发送了 {}，4 s 内没有得到回答。',
  'Client {} sent {} and got no answer within 4 s.': '客户端 {} 发送了 {}，4 s 内没有得到回答。',
  'Client {} sent {} and was sent more than {} KiB that made no line: talk() answers each line with one line.': '客户端 {} 发送了 {}，收到的却是超过 {} KiB、不成一行的数据：talk() 对每一行只回答一行。',
  'Client {} sent {} and got {}; talk() answers it in upper case, with the pid that answered.': '客户端 {} 发送了 {}，收到的是 {}；talk() 应当用大写回答，并带上回答它的进程的 pid。',
  'Client {} was answered by pid {}, then by pid {}: one process talks to a client for its whole conversation.': '客户端 {} 先由 pid {} 回答，后来又由 pid {} 回答：整个对话期间应当由同一个进程和一个客户端交谈。',
  'Client {} was answered by the server itself (pid {}): give each connection to a worker process of its own.': '客户端 {} 是由服务器自己回答的（pid {}）：把每个连接交给一个专属的工作进程。',
  'Clients {} and {} were answered by the same process, pid {}: one worker per connection.': '客户端 {} 和 {} 是由同一个进程 pid {} 回答的：每个连接一个工作进程。',
  'Client {} was answered by pid {}, which is not a child of the server.': '回答客户端 {} 的是 pid {}，它不是服务器的子进程。',
  'After every client had hung up, {} was still running 3 s later: a worker ends once its client has gone (what keeps it alive?).': '所有客户端都挂断 3 s 之后，{} 还在运行：客户端一离开，工作进程就应当结束（是什么让它一直活着？）。',
  'After every client had hung up, {} were still running 3 s later: a worker ends once its client has gone (what keeps it alive?).': '所有客户端都挂断 3 s 之后，{} 都还在运行：客户端一离开，工作进程就应当结束（是什么让它们一直活着？）。',
  "The server was killed by SIGTERM (Node's default action): on SIGTERM, stop listening and let the process end.": '服务器被 SIGTERM 杀死了（Node 的默认动作）：收到 SIGTERM 时，停止监听，让进程结束。',
  'The server was still running 3 s after SIGTERM: stop listening, and let the process end.': '收到 SIGTERM 3 s 之后服务器还在运行：停止监听，让进程结束。',
  'After SIGTERM the server exited with code {}: {}; it should exit with code 0.': '收到 SIGTERM 之后，服务器以退出码 {} 退出了：{}；它应当以退出码 0 退出。',
  'After SIGTERM the server exited with code {}; it should exit with code 0.': '收到 SIGTERM 之后，服务器以退出码 {} 退出了；它应当以退出码 0 退出。',
  'the server collects every worker.': '服务器要回收每一个工作进程。',

  // ── 17 framing: a frame decoder that survives split and merged chunks ──
  'merged with the next two frames in one write': '和后面两帧合在一次 write 里发送',
  'merged with the frames before and after it in one write': '和前后两帧合在一次 write 里发送',
  'merged with the two frames before it in one write': '和前面两帧合在一次 write 里发送',
  'split after the first 2 bytes of its 4-byte length': '在 4 字节长度的前 2 个字节之后被拆开',
  'split in the middle of the character 你 (3 bytes in UTF-8)': '在字符“你”（UTF-8 里占 3 个字节）的中间被拆开',
  'about 300 kB, split by the kernel into several chunks': '约 300 kB，被内核拆成了好几块',
  'its first 3 bytes sent with the end of the big frame': '的前 3 个字节和大帧的结尾一起发送',
  'an empty string, with the frame after it': '是一个空字符串，和后面一帧一起发送',
  'sent with the frame before it': '和前面一帧一起发送',
  'the receiver to accept a connection at its socket path': '接收进程在它的套接字路径上接受连接',
  'No message came out of the decoder; {} were sent, the first {}.': '解码器没有输出任何消息；一共发送了 {} 条，第一条{}。',
  'Only {} of {} messages came out; message {} was {}.': '{2} 条消息里只输出了 {1} 条；第 {3} 条消息{4}。',
  'It {} ({}) after {} of {} messages had come out; message {} was {}.': '{4} 条消息里输出了 {3} 条之后，它 {1}（{2}）；第 {5} 条消息{6}。',
  'It {} after {} of {} messages had come out; message {} was {}.': '{3} 条消息里输出了 {2} 条之后，它 {1}；第 {4} 条消息{5}。',
  'Message {} came out as {}, but {} was sent ({}).': '第 {} 条消息输出为 {}，但发送的是 {}（这条消息{}）。',
  '{} messages came out, but {} were sent; the extra one is {}.': '输出了 {} 条消息，但只发送了 {} 条；多出来的一条是 {}。',

  // ── 18 multiplexing: a chat server in one process ──
  'the server to accept all {} connections': '服务器接受全部 {} 个连接',
  'while all {} clients were connected': '在全部 {} 个客户端都连着时',
  'after client {} hung up': '在客户端 {} 挂断之后',
  "{}, while client {}'s line was on its way": '{}（客户端 {} 发的那一行还在路上）',
  'With {} connected, the server had {} ({}, …): serve every connection in this one process, on its event loop, and start no process.':
    '有 {} 连着时，服务器有 {}（{}, …）：在这一个进程里、在它的事件循环上服务每一个连接，不要启动任何进程。',
  'With {} connected, the server had {} ({}): serve every connection in this one process, on its event loop, and start no process.':
    '有 {} 连着时，服务器有 {}（{}）：在这一个进程里、在它的事件循环上服务每一个连接，不要启动任何进程。',
  'The server {} ({}) {}: go on serving the clients that are still connected.': '{3}，服务器 {1}（{2}）：应当继续为还连着的客户端服务。',
  'The server {} {}: go on serving the clients that are still connected.': '{2}，服务器 {1}：应当继续为还连着的客户端服务。',
  "The server closed client {}'s connection {}: keep every client connected until it hangs up.":
    '{2}，服务器关闭了客户端 {1} 的连接：每个客户端都要一直连着，直到它自己挂断。',
  'Client {} got {} with no line end: pass each line on as a line, ending in "\\n".':
    '客户端 {} 收到的 {} 没有行尾：每一行都要作为一行转发出去，以 "\\n" 结尾。',
  'Client {} sent {} {} and client {} got nothing within {} s: send each line to every other client connected.':
    '{3}，客户端 {1} 发送了 {2}，而客户端 {4} 在 {5} s 内什么也没收到：把每一行发给其他每一个连着的客户端。',
  'Client {} sent {} {} and client {} got only {} within {} s: send each line to every other client connected.':
    '{3}，客户端 {1} 发送了 {2}，而客户端 {4} 在 {6} s 内只收到了 {5}：把每一行发给其他每一个连着的客户端。',
  'Client {} could not connect while {} connected.': '已有 {2} 连着时，客户端 {1} 连不上。',
  'Client {} got back its own line {}: send each line to every other client, not to the one who sent it.':
    '客户端 {} 收回了它自己发的那一行 {}：把每一行发给其他每一个客户端，不要发回给发送它的那一个。',
  'The server started {} ({}): serve every connection in this one process, on its event loop, and start no process.':
    '服务器启动了 {}（{}）：在这一个进程里、在它的事件循环上服务每一个连接，不要启动任何进程。',

  // ── 19 socketserver: one handle() class, served forking and threading ──
  'Forking server': '多进程服务器',
  'Threading server': '多线程服务器',
  'the {} server to accept connections on port {}': '端口 {2} 上 `server` 为 \'{1}\' 的服务器接受连接',
  'client {} sent {}': '客户端 {} 发送了 {}',
  'a second line, {},': '第二行 {}',
  'none': '没有',
  'Forking server: client {} could not connect while {} connected.': '多进程服务器：已有 {2} 连着时，客户端 {1} 连不上。',
  'Threading server: client {} could not connect while {} connected.': '多线程服务器：已有 {2} 连着时，客户端 {1} 连不上。',
  'Forking server: client {} sent {} and got {}; handle() answers each line in upper case, then " (pid <the pid that answers>)".':
    '多进程服务器：客户端 {} 发送了 {}，收到的是 {}；handle() 要把每一行转成大写来回答，后面再加上 " (pid <回答它的进程的 pid>)"。',
  'Threading server: client {} sent {} and got {}; handle() answers each line in upper case, then " (pid <the pid that answers>)".':
    '多线程服务器：客户端 {} 发送了 {}，收到的是 {}；handle() 要把每一行转成大写来回答，后面再加上 " (pid <回答它的进程的 pid>)"。',
  'Forking server: client {} was answered by pid {}, then by pid {}: one handle() talks to a client for its whole conversation.':
    '多进程服务器：客户端 {} 先由 pid {} 回答，后来又由 pid {} 回答：整个对话期间应当由同一个 handle() 和这个客户端交谈。',
  'Threading server: client {} was answered by pid {}, then by pid {}: one handle() talks to a client for its whole conversation.':
    '多线程服务器：客户端 {} 先由 pid {} 回答，后来又由 pid {} 回答：整个对话期间应当由同一个 handle() 和这个客户端交谈。',
  "Forking server: it had no child process while {} connected (all answered by pid {}): a forking server runs each connection's handle() in a process of its own.":
    '多进程服务器：有 {} 连着时，它一个子进程也没有（全都由 pid {} 回答）：多进程服务器要在每个连接自己的进程里运行这个连接的 handle()。',
  "Forking server: it had no child process while {} connected (answered by pids {}): a forking server runs each connection's handle() in a process of its own.":
    '多进程服务器：有 {} 连着时，它一个子进程也没有（回答的是 pid {}）：多进程服务器要在每个连接自己的进程里运行这个连接的 handle()。',
  'Forking server: clients {} and {} were both answered by pid {}: a forking server starts a process per connection.':
    '多进程服务器：客户端 {} 和 {} 都是由 pid {} 回答的：多进程服务器要为每个连接启动一个进程。',
  'Forking server: with {} connected, the table showed {} of the server alive ({}): a process per connection, for as long as it lasts.':
    '多进程服务器：有 {} 连着时，进程表里只显示服务器有 {} 活着（{}）：每个连接一个进程，连接持续多久，它就活多久。',
  'Threading server: it had {} ({}, …) while {} connected: a threading server runs every handle() in its own process.':
    '多线程服务器：有 {3} 连着时，它有 {1}（{2}, …）：多线程服务器要在它自己的进程里运行每一个 handle()。',
  'Threading server: it had {} ({}) while {} connected: a threading server runs every handle() in its own process.':
    '多线程服务器：有 {3} 连着时，它有 {1}（{2}）：多线程服务器要在它自己的进程里运行每一个 handle()。',
  'Threading server: the {} clients were answered by {} different pids ({}): a threading server answers them all from its one process.':
    '多线程服务器：这 {} 个客户端由 {} 个不同的 pid 回答（{}）：多线程服务器要在它唯一的那个进程里回答所有客户端。',
  "Forking server: 3 s after every client had hung up, {} was still running: a handler's process ends once its handle() has returned.":
    '多进程服务器：所有客户端都挂断 3 s 之后，{} 还在运行：handle() 一返回，处理进程就应当结束。',
  "Forking server: 3 s after every client had hung up, {} were still running: a handler's process ends once its handle() has returned.":
    '多进程服务器：所有客户端都挂断 3 s 之后，{} 都还在运行：handle() 一返回，处理进程就应当结束。',
  'Forking server: it {} once its clients had hung up: serveForever() serves until it is stopped.':
    '多进程服务器：客户端都挂断之后，它就 {}：serveForever() 应当一直服务下去，直到被停止。',
  'Threading server: it {} once its clients had hung up: serveForever() serves until it is stopped.':
    '多线程服务器：客户端都挂断之后，它就 {}：serveForever() 应当一直服务下去，直到被停止。',
  'Forking server: it {} ({}) after {}.': '多进程服务器：{3} 之后，它 {1}（{2}）。',
  'Threading server: it {} ({}) after {}.': '多线程服务器：{3} 之后，它 {1}（{2}）。',
  'Forking server: it {} after {}.': '多进程服务器：{2} 之后，它 {1}。',
  'Threading server: it {} after {}.': '多线程服务器：{2} 之后，它 {1}。',
  'Forking server: {} and got no answer: the handler process {} {} ({}): a process the server starts for a connection runs handle() for it (ForkingTCPServer.handleOne), not the server again.':
    '多进程服务器：{1}，却没有得到回答：处理进程 {2} {3}（{4}）：服务器为一个连接启动的进程，要为这个连接运行 handle()（ForkingTCPServer.handleOne），而不是再运行一次服务器。',
  'Threading server: {} and got no answer: the handler process {} {} ({}): a process the server starts for a connection runs handle() for it (ForkingTCPServer.handleOne), not the server again.':
    '多线程服务器：{1}，却没有得到回答：处理进程 {2} {3}（{4}）：服务器为一个连接启动的进程，要为这个连接运行 handle()（ForkingTCPServer.handleOne），而不是再运行一次服务器。',
  'Forking server: {} and got no answer: the handler process {} {}: a process the server starts for a connection runs handle() for it (ForkingTCPServer.handleOne), not the server again.':
    '多进程服务器：{1}，却没有得到回答：处理进程 {2} {3}：服务器为一个连接启动的进程，要为这个连接运行 handle()（ForkingTCPServer.handleOne），而不是再运行一次服务器。',
  'Threading server: {} and got no answer: the handler process {} {}: a process the server starts for a connection runs handle() for it (ForkingTCPServer.handleOne), not the server again.':
    '多线程服务器：{1}，却没有得到回答：处理进程 {2} {3}：服务器为一个连接启动的进程，要为这个连接运行 handle()（ForkingTCPServer.handleOne），而不是再运行一次服务器。',
  'Forking server: {} and its connection was closed without an answer: handle() answers every line until the client hangs up (it returns only then).':
    '多进程服务器：{}，它的连接却没等到回答就被关闭了：handle() 要回答每一行，直到客户端挂断（只有那时它才返回）。',
  'Threading server: {} and its connection was closed without an answer: handle() answers every line until the client hangs up (it returns only then).':
    '多线程服务器：{}，它的连接却没等到回答就被关闭了：handle() 要回答每一行，直到客户端挂断（只有那时它才返回）。',
  'Forking server: {} and got no answer within {} s.': '多进程服务器：{}，{} s 内没有得到回答。',
  'Threading server: {} and got no answer within {} s.': '多线程服务器：{}，{} s 内没有得到回答。',
};

/**
 * Arguments of fail() that are not written-out sentences: their source text, and why they need
 * no entry of their own.
 */
export const CHECK_DYNAMIC: Record<string, string> = {
  sentence: 'harness.ts: fail(sentence) throws the sentence a check wrote; each of those is an entry above.',
};

/**
 * Strings of the checks with words in them that are shown as they are, never translated: data
 * the exercise is given or sends back (a chat line, a message, a log line), and a pid with its
 * process title. The string, and why.
 */
export const CHECK_KEPT_AS_WRITTEN: Record<string, string> = {
  'pid {} ({})': "claims.ts who(): a pid and the process's own title, as the table shows them.",
  'pid {}': 'a pid, as the table shows it.',
  'errno {}': 'network.ts: the number of an error the kernel reported that Node has no name for, shown as the kernel gave it.',
  'it imports {}, which a check does not allow': "compile.ts: esbuild's own error text for a refused import, never shown: the student reads the sentence built from the error's detail.",
  'pid {}: {}': '01: a pid and the bytes the kernel counted it writing.',
  'every child has been collected': "06: the line the parent (written for the student) prints once reapAll() has returned; the check looks for it as it is printed.",
  'done {} {}': "08: a line of the exercise's job log, looked for as the exercise writes it.",
  'hello from client 1 {}\n': '11: the text a client sends to the echo server, shown back as sent.',
  '你好 from client 2 {}\n': '11: the text a client sends to the echo server, shown back as sent.',
  'still here': '12: a chat line the check sends through the server, part of the wire format.',
  'hello from {}': "12: the line typed into the student's client, sent on the wire as it is.",
  'ni hao': '16: one of the words a client sends to the server, shown as sent.',
  'split inside its length': "17: the text inside a message the check sends, shown as the message's JSON.",
};

/** Every lowercase entry again with a capital: capital() in claims.ts starts a sentence with one. */
function withCapitals(entries: Record<string, string>): Record<string, string> {
  const all = { ...entries };
  for (const [english, chinese] of Object.entries(entries)) {
    const capitalised = english.charAt(0).toUpperCase() + english.slice(1);
    if (/^[a-z]/.test(english) && !(capitalised in all)) all[capitalised] = chinese;
  }
  return all;
}

let translator: Translator | undefined;
let table: Record<string, string> = {};
/** The templates, most specific first (the order the translator tries them in). */
let templates: Array<{ english: string; pieces: string[]; pattern: RegExp; weight: number }> = [];
const recognised = new Map<string, number>();

/** How many ways to cut one sentence are weighed at most (a sentence has a handful). */
const MAX_CUTS = 500;

/** Every way `text` fills a template's values, the matcher's own (each value as short as it can be) first. */
function* cuts(pieces: readonly string[], text: string): Generator<string[]> {
  const last = pieces.length - 1;
  if (!text.startsWith(pieces[0]!) || !text.endsWith(pieces[last]!)) return;
  const end = text.length - pieces[last]!.length;
  function* from(index: number, at: number, values: string[]): Generator<string[]> {
    if (index === last) {
      if (end >= at) yield [...values, text.slice(at, end)];
      return;
    }
    const piece = pieces[index]!;
    for (let found = text.indexOf(piece, at); found >= 0 && found <= end; found = text.indexOf(piece, found + 1)) {
      yield* from(index + 1, found + piece.length, [...values, text.slice(at, found)]);
    }
  }
  yield* from(1, pieces[0]!.length, []);
}

/** How much of a value the table recognises: all of it (an entry), a template's own words, or nothing. */
function recognisedIn(value: string): number {
  const core = value.trim();
  let known = recognised.get(core);
  if (known === undefined) {
    known = core === '' ? 0 : Object.hasOwn(table, core) && !core.includes('{}') ? core.length : (templates.find((each) => each.pattern.test(core))?.weight ?? 0);
    recognised.set(core, known);
  }
  return known;
}

/**
 * The Chinese of a check's sentence. The translator reads a sentence by the first template that
 * fits, giving each value as little as it can: where two values stand side by side ("The orphan
 * {} {}; …": a pid with its title, then how it ended) it cuts at the first space, and a shorter
 * template can take a sentence whose words were meant as a value ("while {} were connected" reads
 * "while 2 others were connected" as the value "2 others"). So every template that fits is tried,
 * every way it cuts, and the reading in which the table recognises the most of the sentence (a
 * template's own words, and those of the entries its values are) is the one meant; on a tie, the
 * translator's own.
 */
function translate(message: string): string | undefined {
  if (!translator) {
    table = withCapitals(CHECK_SENTENCES_ZH);
    translator = new Translator(table);
    templates = Object.keys(table)
      .filter((english) => english.includes('{}'))
      .map((english) => ({ english, pieces: english.split('{}'), pattern: templatePattern(english), weight: english.replaceAll('{}', '').length }))
      .sort((a, b) => b.weight - a.weight);
  }
  if (Object.hasOwn(table, message) && !message.includes('{}')) return table[message];
  let best: { english: string; values: string[]; score: number } | undefined;
  for (const { english, pieces, weight } of templates) {
    let tried = 0;
    for (const values of cuts(pieces, message)) {
      const score = values.reduce((sum, value) => sum + recognisedIn(value), weight);
      if (!best || score > best.score) best = { english, values, score };
      if (++tried === MAX_CUTS) break;
    }
  }
  if (!best) return translator.lookUp(message);
  // The translator fills the template chosen, each value standing in as a mark it cannot cut and
  // knows the Chinese of, so a value put in as Chinese is spaced as everywhere else.
  const { english, values } = best;
  const marks = values.map((_, index) => String.fromCharCode(0xe000 + index));
  const entries: Record<string, string> = { [english]: table[english]! };
  values.forEach((value, index) => {
    const chinese = translator!.lookUp(value.trim());
    if (chinese !== undefined) entries[marks[index]!] = chinese;
  });
  const marked = fillTemplate(english, values.map((value, index) => value.replace(value.trim(), marks[index]!)));
  const chinese = new Translator(entries).lookUp(marked);
  if (chinese === undefined) return translator.lookUp(message);
  return values.reduce((text, value, index) => text.replaceAll(marks[index]!, () => value.trim()), chinese);
}

/** A check's sentence in the student's language (English where no translation is known). */
export function checkSentence(message: string, language: Language): string {
  if (language !== 'zh') return message;
  const chinese = translate(message);
  // Chinese has no capitals: a pid that started the English sentence ("Pid 12 (child 1)") is written as the table writes it.
  return chinese === undefined ? message : chinese.replace(/(^|[^A-Za-z])Pid (?=\d)/g, '$1pid ');
}
