// The lesson API: everything a lesson imports besides Node's own modules.
//
//   role, name, forkSelf, exited        who this process is; start the same file in another role
//   spawnSelfWithLibc                    the same, through the C library's posix_spawn: libuv never knows the child
//   spawn, spawnSync, execFileSync      Node's calls, each also telling the runner the new pid at once
//   say, explain, step, checkpoint, fact   narration and named moments (recorded in the timeline)
//   quote, warn, sentence                another program's output as it is; a problem, on stderr; a line for a non-lesson child
//   question                             predict-then-reveal (`--predict`): the student guesses the table
//   sleep, blockEventLoop, paced, pace  time, scaled by --slow / --fast
//   posix                                C calls Node lacks (subreaper, waitpid, …), via koffi
import { listen } from './channel.js';
import { endLesson, watchRunner } from './lifeline.js';
import { role } from './roles.js';

export { role, name, forkSelf, spawnSelfWithLibc, exited, nextMessage, pidExists, passedFds, type ForkOptions } from './roles.js';
export { tempDir } from './files.js';
export { listAllProcesses, type SystemProcess } from './system.js';
export { spawn, spawnSync, execFileSync } from './spawn.js';
export { say, quote, explain, warn, sentence, step, checkpoint, fact } from './narrate.js';
export { question, type Question, type QuestionKind } from './question.js';
export { sleep, blockEventLoop, paced, pace } from './pace.js';
export { hasRunner } from './channel.js';
export { whenKernelShows, blockUntilKernelShows, stateOf, statOf, sleepsIn, nameOf } from './kernel.js';
export * as posix from '../posix/index.js';

// If the runner goes away, so does the lesson (and everything it started).
watchRunner();
if (role === 'main') listen(endLesson);
