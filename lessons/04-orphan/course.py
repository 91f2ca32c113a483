# Lesson 04, the course's way: the parent exits first, and its child becomes an orphan (孤儿进程).
#
# A process always has a parent. When its parent exits, the kernel hands the child to another
# process at once: PID 1, or the nearest "child subreaper" above it (under procbook, the runner).
# The adopter becomes its new parent (os.getppid() changes) and will collect it when it ends.
#
# Run it: npm run lesson -- 4 --python   (alone: python3 lessons/04-orphan/course.py)
import os
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)

pid = os.fork()

if pid == 0:
    print("child pid=%d ppid=%d: my parent is still here" % (os.getpid(), os.getppid()))
    sleep(2 * PACE)  # meanwhile the parent exits
    print("child pid=%d ppid=%d: my parent is gone; this is my new parent" % (os.getpid(), os.getppid()))
    sleep(1 * PACE)
    print("child pid=%d ppid=%d: I exit; my adopter collects me" % (os.getpid(), os.getppid()))
else:
    print("parent pid=%d ppid=%d: my child is %d; I exit in 1 s without waiting for it"
          % (os.getpid(), os.getppid(), pid))
    sleep(1 * PACE)
    print("parent pid=%d ppid=%d: bye" % (os.getpid(), os.getppid()))
