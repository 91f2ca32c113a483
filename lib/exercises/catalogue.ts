// The catalogue of exercises: one per lesson that has one. Where each part of an exercise lives:
//   lessons/NN-slug/exercise.ts          the student's file (a starter with TODOs, as shipped)
//   lessons/NN-slug/hint.md              the hint (npm run hint -- N)
//   solutions/NN-slug.ts                 the reference solution (shown once the exercise passes)
//   lib/exercises/starters/NN-slug.ts.txt  the pristine starter (npm run reset -- N copies it back);
//                                        .txt: the type check already reads it as lessons/…/exercise.ts
//   lib/exercises/checks/NN-slug.ts      the check
import { join } from 'node:path';
import { lessonFolder, projectRoot } from '../run/paths.js';
import type { Check } from './harness.js';
import { checkCopy } from './checks/01-fork.js';
import { checkReapAll } from './checks/06-wait.js';
import { checkGracefulStop } from './checks/08-signals.js';
import { checkPoolMap } from './checks/09-pool.js';
import { checkEchoServer } from './checks/11-unix-sockets.js';
import { checkChatQuit } from './checks/12-chatroom.js';
import { checkTickets } from './checks/14-locks.js';
import { checkFrameDecoder } from './checks/17-framing.js';

export interface Exercise {
  number: number;
  /** The lesson's slug. */
  slug: string;
  /** What it asks, in a few words. */
  title: string;
  check: Check;
}

export const exercises: Exercise[] = [
  { number: 1, slug: 'fork', title: 'copy a file in two halves, two processes at once', check: checkCopy },
  { number: 6, slug: 'wait', title: 'collect every child, report in the order they end', check: checkReapAll },
  { number: 8, slug: 'signals', title: 'stop gracefully on SIGTERM', check: checkGracefulStop },
  { number: 9, slug: 'pool', title: "a pool's map: ordered results, reused workers", check: checkPoolMap },
  { number: 11, slug: 'unix-sockets', title: 'an echo server that survives a stale socket file', check: checkEchoServer },
  { number: 12, slug: 'chatroom', title: "finish the chatroom's quit, server and client", check: checkChatQuit },
  { number: 14, slug: 'locks', title: 'sell every ticket exactly once, with a lock', check: checkTickets },
  { number: 17, slug: 'framing', title: 'a frame decoder that survives split and merged chunks', check: checkFrameDecoder },
];

/** "01-fork" */
export function exerciseId(exercise: Exercise): string {
  return `${String(exercise.number).padStart(2, '0')}-${exercise.slug}`;
}

export function pathsOf(exercise: Exercise): { folder: string; exercise: string; hint: string; solution: string; starter: string } {
  const folder = join(projectRoot, lessonFolder(exercise.number, exercise.slug));
  const id = exerciseId(exercise);
  return {
    folder,
    exercise: join(folder, 'exercise.ts'),
    hint: join(folder, 'hint.md'),
    solution: join(projectRoot, 'solutions', `${id}.ts`),
    starter: join(projectRoot, 'lib', 'exercises', 'starters', `${id}.ts.txt`),
  };
}

/** Finds an exercise by number ("6", "06"), slug ("wait") or both ("06-wait"). */
export function findExercise(query: string): Exercise | undefined {
  const text = query.trim().toLowerCase();
  if (/^\d+$/.test(text)) return exercises.find((exercise) => exercise.number === Number(text));
  return exercises.find((exercise) => exercise.slug === text || exerciseId(exercise) === text);
}

export function describeExercises(): string {
  return exercises.map((exercise) => `${exercise.number} ${exercise.slug}`).join(', ');
}
