// Every exercise's check, by its lesson folder's name. The catalogue (lessons/index.ts) says which
// lessons have homework and what it asks; this says how each is checked.
import type { Check } from '../harness.js';
import { checkCopy } from './01-fork.js';
import { checkPids } from './02-pids.js';
import { checkExit } from './03-exit.js';
import { checkOrphan } from './04-orphan.js';
import { checkZombie } from './05-zombie.js';
import { checkReapAll } from './06-wait.js';
import { checkDoubleFork } from './07-double-fork.js';
import { checkGracefulStop } from './08-signals.js';
import { checkPoolMap } from './09-pool.js';
import { checkFifo } from './10-ipc.js';
import { checkEchoServer } from './11-unix-sockets.js';
import { checkChatQuit } from './12-chatroom.js';
import { checkProcessClass } from './13-process-class.js';
import { checkTickets } from './14-locks.js';
import { checkSharedCounter } from './15-shared-memory.js';
import { checkTcpServer } from './16-tcp-server.js';
import { checkFrameDecoder } from './17-framing.js';
import { checkOneProcessChat } from './18-multiplexing.js';
import { checkSocketServer } from './19-socketserver.js';

export const checks: Record<string, Check> = {
  '01-fork': checkCopy,
  '02-pids': checkPids,
  '03-exit': checkExit,
  '04-orphan': checkOrphan,
  '05-zombie': checkZombie,
  '06-wait': checkReapAll,
  '07-double-fork': checkDoubleFork,
  '08-signals': checkGracefulStop,
  '09-pool': checkPoolMap,
  '10-ipc': checkFifo,
  '11-unix-sockets': checkEchoServer,
  '12-chatroom': checkChatQuit,
  '13-process-class': checkProcessClass,
  '14-locks': checkTickets,
  '15-shared-memory': checkSharedCounter,
  '16-tcp-server': checkTcpServer,
  '17-framing': checkFrameDecoder,
  '18-multiplexing': checkOneProcessChat,
  '19-socketserver': checkSocketServer,
};
