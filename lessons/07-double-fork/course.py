# Lesson 07, the course's way: a second-level child (二级子进程), so nobody waits for it.
#
# The parent forks a middle process and waits for it; the middle forks the grandchild and
# exits at once, so the parent's os.wait() returns at once. The grandchild is now an orphan:
# adopted the moment the middle exits (by PID 1, or under procbook by the runner), and its
# adopter will collect it. Parent and grandchild each do their own job; neither waits for the other.
#
# Run it: npm run lesson -- 7 --python   (alone: python3 lessons/07-double-fork/course.py)
import os
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)


def first_job():
    sleep(3 * PACE)
    print("parent pid=%d ppid=%d: first job done; I exit" % (os.getpid(), os.getppid()))


def second_job():
    sleep(4 * PACE)  # longer than the parent's: the grandchild outlives it
    print("grandchild pid=%d ppid=%d: second job done, after my grandparent's exit"
          % (os.getpid(), os.getppid()))


pid = os.fork()

if pid == 0:
    p = os.fork()  # the second-level child
    if p == 0:
        print("grandchild pid=%d ppid=%d: the middle is my parent" % (os.getpid(), os.getppid()))
        sleep(1 * PACE)  # meanwhile the middle exits
        print("grandchild pid=%d ppid=%d: the middle is gone; I was adopted" % (os.getpid(), os.getppid()))
        second_job()
    else:
        print("middle pid=%d ppid=%d: I started the grandchild %d; I exit in a moment"
              % (os.getpid(), os.getppid(), p))
        sleep(0.5 * PACE)  # long enough for the table to show all three
        os._exit(0)
else:
    print("parent pid=%d ppid=%d: I started the middle %d and wait for it" % (os.getpid(), os.getppid(), pid))
    os.wait()  # returns as soon as the middle exits
    print("parent pid=%d ppid=%d: the middle is collected; I never wait for the grandchild"
          % (os.getpid(), os.getppid()))
    first_job()
