# Lesson 05, the course's way: a child that exits while its parent spins in `while True: pass`.
#
# The child is finished, but the kernel keeps a small record of it (its pid, its exit status)
# until the parent collects it with os.wait(). Until then the dead child is a zombie: STAT Z,
# PPID still = the parent. The parent here is busy in a loop and collects nothing.
# The course spins forever; this parent spins for 3 s, then does what it should: os.wait().
#
# Run it: npm run lesson -- 5 --python   (alone: python3 lessons/05-zombie/course.py)
import os
import sys
import time
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)

pid = os.fork()

if pid == 0:
    # The child: say who it is and exit at once, with status 3.
    print("child pid=%d ppid=%d: I exit now with status 3" % (os.getpid(), os.getppid()))
    os._exit(3)
else:
    print("parent pid=%d ppid=%d: my child is %d; I spin for 3 s" % (os.getpid(), os.getppid(), pid))
    # The course's `while True: pass`, bounded. Spinning is running: the parent's STAT is R,
    # and it never asks the kernel about its child, so the child stays a zombie.
    end = time.time() + 3 * PACE
    while time.time() < end:
        pass
    print("parent pid=%d ppid=%d: done spinning; now os.wait()" % (os.getpid(), os.getppid()))
    # os.wait() hands over the status the kernel kept and removes the zombie.
    child, status = os.wait()
    print("parent pid=%d ppid=%d: collected %d, status %d, exit code %d"
          % (os.getpid(), os.getppid(), child, status, os.WEXITSTATUS(status)))
    sleep(0.5 * PACE)  # the table shows the parent alone
