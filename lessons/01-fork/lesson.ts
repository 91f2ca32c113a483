// Lesson 01 — fork: a second process.
//
// A process is a running program with its own memory. In C or Python, os.fork() copies the
// running process: both copies continue from the next line, and fork() returns 0 in the copy
// (the child) and the child's pid in the original (the parent).
//
// Node has no fork(). It starts a NEW process that runs a program from its first line. So this
// file runs twice: once as the parent (role "main"), once as the child (role "child"), and
// `role` tells each copy which part it plays: the honest Node version of `if (pid === 0)`.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { exited, explain, fact, forkSelf, name, passedFds, question, role, say, sleep, step, tempDir } from '../../lib/lesson/index.js';

// Every process that runs this file gets its OWN copy of this variable.
let counter = 1;

if (role === 'child') await child();
else await parent();

async function parent(): Promise<void> {
  name('parent');
  await step('Start a child process');
  counter = 42; // changed BEFORE the child starts: would a forked child see 42?
  const dir = tempDir('fork');
  const file = join(dir, 'shared.txt');
  const fd = openSync(file, 'w');
  writeSync(fd, 'parent: first line\n');

  // The child gets our open file `fd` too (as after fork): the SAME open file, same offset.
  const kid = forkSelf('child', { passFds: [fd], args: [file] });
  say(`I am the parent (pid ${process.pid}). I started a child: pid ${kid.pid}.`);
  fact('child.pid', kid.pid);
  explain('Look at the table: the child has PPID = the parent.');
  // --predict: the student guesses, the table answers (lib/lesson/question.ts).
  await question({ about: kid.pid!, ask: 'parent', reveal: 'next-step', prompt: "Who is the child's parent?" });

  await step('Both run at the same time');
  await question({ about: process.pid, ask: 'stat', reveal: { afterMs: 600 }, prompt: 'Both of us run now, each printing a tick every 0.5 s. What will my (the parent\'s) STAT be 0.6 s from now?' });
  for (let tick = 1; tick <= 5; tick++) {
    say(`parent tick ${tick}`);
    fact('tick', { who: 'parent', tick });
    await sleep(500);
  }
  explain('The two processes take turns on the CPUs as the kernel decides: the order of');
  explain('their lines is not decided by either of them, and may differ from run to run.');

  await question({ about: kid.pid!, ask: 'alive', reveal: 'next-step', prompt: 'I now wait for my child to finish. At the next step, what is left of it?' });
  const { code } = await exited(kid);
  say(`my child exited with code ${code}.`);

  await step('Separate memory');
  say(`counter in the parent is still ${counter}: the child changed its own copy, not ours.`);
  fact('counter.parent', counter);
  explain('With fork() the child would have started with a COPY of 42. A Node child runs the file');
  explain('from the top, so it starts with 1. Either way, two processes never share a variable.');

  await step('Shared file offsets');
  writeSync(fd, 'parent: last line\n');
  closeSync(fd);
  const shared = readFileSync(file, 'utf8');
  say(`the file we both wrote through the same descriptor:\n${shared.trimEnd()}`);
  fact('file.shared', shared);
  explain('One open file, one offset: each write lands after the previous one, whoever made it.');

  const own = join(dir, 'own.txt');
  const ours = openSync(own, 'w');
  writeSync(ours, 'parent: first line\n');
  const second = forkSelf('child', { args: [own, 'own'] });
  await exited(second);
  writeSync(ours, 'parent: last line\n');
  closeSync(ours);
  const separate = readFileSync(own, 'utf8');
  say(`the file the child opened by itself:\n${separate.trimEnd()}`);
  fact('file.separate', separate);
  explain('The child opened the file again: a second open file with its own offset, at 0. Its');
  explain("write landed at the start, over the parent's first line, and ours went on from where we were.");
}

async function child(): Promise<void> {
  const [file, mode] = process.argv.slice(2);
  name(mode === 'own' ? 'child (own open)' : 'child');
  if (mode === 'own') {
    // Open the same path again: a new open file, with its own offset starting at 0.
    const fd = openSync(file!, 'r+');
    writeSync(fd, 'child: overwritten\n');
    closeSync(fd);
    return;
  }
  say(`I am the child (pid ${process.pid}), my parent is ${process.ppid}. counter = ${counter}`);
  fact('counter.child.start', counter);
  counter = 100;
  fact('counter.child', counter);
  const [fd] = passedFds();
  writeSync(fd!, 'child: a line through the shared descriptor\n');
  for (let tick = 1; tick <= 5; tick++) {
    say(`child tick ${tick}`);
    fact('tick', { who: 'child', tick });
    await sleep(500);
  }
}
