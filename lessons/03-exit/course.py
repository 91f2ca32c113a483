# Lesson 03, the course's way: three ways for a child to end, and the status each one leaves.
#
#   os._exit(3)          ends the process NOW: no `finally`, no atexit handlers, no flushing
#   sys.exit("message")  raises SystemExit: handlers run, the message goes to stderr, status 1
#   the end of the code  a normal exit: handlers run, status 0
#
# The parent collects each child with os.waitpid() and decodes the status. It lets each one
# lie dead for a second first, so the table shows the zombie holding its exit status.
#
# Run it: npm run lesson -- 3 --python   (alone: python3 lessons/03-exit/course.py)
import atexit
import os
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)


def child(how):
    me = "child pid=%d ppid=%d" % (os.getpid(), os.getppid())
    atexit.register(lambda: print("%s: atexit handler ran" % me))
    print("%s: I end with %s" % (me, how))
    sleep(0.5 * PACE)
    if how == "os._exit(3)":
        os._exit(3)
    if how == "sys.exit(message)":
        sys.exit("%s: sys.exit says goodbye" % me)
    # "the end": nothing more to do; return to the end of the program


print("parent pid=%d ppid=%d: three children, three ways to end" % (os.getpid(), os.getppid()))
for how in ["os._exit(3)", "sys.exit(message)", "the end"]:
    pid = os.fork()
    if pid == 0:
        child(how)
        break  # the child must not go on to fork children of its own
    sleep(1.5 * PACE)  # meanwhile the child ends: for a second it is a zombie, holding its status
    pid, status = os.waitpid(pid, 0)
    print("parent pid=%d ppid=%d: child %d ended, status %d, exit code %d"
          % (os.getpid(), os.getppid(), pid, status, os.WEXITSTATUS(status)))
