# Lesson 08, the course's way: signals. Ignore SIGCHLD, and catch SIGTERM.
#
# A child that exits sends its parent SIGCHLD. By default (SIG_DFL) the signal does nothing to
# the parent, and the kernel keeps the child's status for it: a zombie until os.wait(). With
#     signal.signal(signal.SIGCHLD, signal.SIG_IGN)
# the parent says "I will never wait": the kernel then discards each child as it exits. It is
# never a zombie, and os.wait() finds nothing to collect.
#
# A handler for SIGTERM lets a process finish its work and end on its own terms, instead of
# being killed by the signal.
#
# Run it: npm run lesson -- 8 --python   (alone: python3 lessons/08-signals/course.py)
import os
import signal
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)

me = "parent pid=%d ppid=%d" % (os.getpid(), os.getppid())

# 1. SIGCHLD ignored: the kernel reaps the child itself, at once.
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    print("child pid=%d ppid=%d: I exit in half a second" % (os.getpid(), os.getppid()))
    sleep(0.5 * PACE)
    os._exit(0)
print("%s: SIGCHLD is ignored; I sleep and never wait for %d" % (me, pid))
sleep(1.5 * PACE)
try:
    os.wait()
except ChildProcessError:
    print("%s: os.wait() finds no child: the kernel already discarded %d" % (me, pid))

# 2. SIGCHLD back to the default, and a child with a SIGTERM handler.
signal.signal(signal.SIGCHLD, signal.SIG_DFL)


def on_term(signum, frame):
    print("child pid=%d ppid=%d: got SIGTERM; I finish my work and exit 0" % (os.getpid(), os.getppid()))
    sys.exit(0)


pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, on_term)
    print("child pid=%d ppid=%d: I work until SIGTERM" % (os.getpid(), os.getppid()))
    sleep(5 * PACE)  # SIGTERM comes long before this ends
    os._exit(1)
print("%s: I send SIGTERM to %d in 1 s" % (me, pid))
sleep(1 * PACE)
os.kill(pid, signal.SIGTERM)
sleep(1 * PACE)  # with SIGCHLD back to default, the ended child is a zombie until I wait
pid, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    print("%s: collected %d, status %d: killed by signal %d" % (me, pid, status, os.WTERMSIG(status)))
else:
    print("%s: collected %d, status %d: exit code %d, not killed by SIGTERM"
          % (me, pid, status, os.WEXITSTATUS(status)))
