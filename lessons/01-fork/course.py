# Lesson 01, the course's way: os.fork() copies the parent, memory and all.
#
# After fork() there are two processes running the same program from the same line: the one
# after the fork. The child got a COPY of the parent's memory, so it starts with a = 1 too;
# what it changes afterwards changes its copy only. fork() returns twice: the child's pid in
# the parent, 0 in the child, and the `if` on that value sends each one its own way.
# (Node cannot do this: a Node child starts a program from the top. See README.md.)
#
# Run it: npm run lesson -- 1 --python   (alone: python3 lessons/01-fork/course.py)
import os
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)

a = 1
print("parent pid=%d ppid=%d: before fork, a=%d" % (os.getpid(), os.getppid(), a))

pid = os.fork()

if pid == 0:
    # The child starts here, not at the top: it did not print the line above.
    print("child pid=%d ppid=%d: my copy says a=%d" % (os.getpid(), os.getppid(), a))
    a = 10000  # changes the child's copy only
    print("child pid=%d ppid=%d: I set a=%d" % (os.getpid(), os.getppid(), a))
    sleep(2 * PACE)
else:
    # The parent sleeps first, so the child has changed its a by the time the parent looks.
    sleep(1 * PACE)
    print("parent pid=%d ppid=%d: my child %d set its a; mine is still a=%d" % (os.getpid(), os.getppid(), pid, a))

# Both processes run the lines below, each with its own a.
who = "child" if pid == 0 else "parent"
print("%s pid=%d ppid=%d: at the end, a=%d" % (who, os.getpid(), os.getppid(), a))

if pid != 0:
    os.wait()  # wait until the child ends and collect it (lesson 06): no zombie is left
