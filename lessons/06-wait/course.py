# Lesson 06, the course's way: the parent collects its children with os.wait() and os.waitpid().
#
#   pid, status = os.wait()                    block until ANY child ends, and collect it
#   pid, status = os.waitpid(pid, os.WNOHANG)  just ask: (0, 0) if that child has not ended yet
#
# status is one number: the exit code times 256, or the number of the signal that killed the
# child. os.WIFEXITED / os.WEXITSTATUS / os.WIFSIGNALED / os.WTERMSIG take it apart.
#
# Run it: npm run lesson -- 6 --python   (alone: python3 lessons/06-wait/course.py)
import os
import signal
import sys
from time import sleep

# Parent and child write to the same output: one write() per line keeps their lines whole
# (unbuffered, as procbook runs it, print() writes the text and the newline separately).
sys.stdout.reconfigure(line_buffering=True, write_through=False)

# PROCBOOK_PACE scales every wait (1 normal, 0.3 fast in the tests), like the lessons' own.
PACE = float(os.environ.get("PROCBOOK_PACE") or 1)


def start(code, seconds):
    """Fork a child that works for a while, then ends with this exit code."""
    pid = os.fork()
    if pid == 0:
        print("child pid=%d ppid=%d: I work for %g s, then os._exit(%d)" % (os.getpid(), os.getppid(), seconds, code))
        sleep(seconds * PACE)
        os._exit(code)
    return pid


def explain(pid, status):
    if os.WIFEXITED(status):
        how = "exit code %d" % os.WEXITSTATUS(status)
    else:
        how = "killed by signal %d" % os.WTERMSIG(status)
    print("parent pid=%d ppid=%d: collected %d, status %d: %s" % (os.getpid(), os.getppid(), pid, status, how))


me = "parent pid=%d ppid=%d" % (os.getpid(), os.getppid())

# 1. Blocking: os.wait() returns only once a child has ended. Meanwhile the parent sleeps in
#    the kernel (STAT S), and the kernel wakes it the moment the child exits: no zombie is left.
start(2, 1.5)
print("%s: os.wait() blocks until my child ends" % me)
pid, status = os.wait()
explain(pid, status)

# 2. Not blocking: os.waitpid(pid, os.WNOHANG) asks and returns at once; the parent does other
#    things between questions. The child that ends in between is a zombie until the next question.
pid = start(5, 1.5)
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done != 0:
        break
    print("%s: waitpid(%d, WNOHANG) says (0, 0): not yet; I do something else" % (me, pid))
    sleep(1 * PACE)
explain(done, status)

# 3. A child killed by a signal leaves no exit code: the status holds the signal's number.
pid = start(7, 60)
sleep(0.5 * PACE)
os.kill(pid, signal.SIGTERM)
print("%s: I sent SIGTERM to %d; I collect it in half a second" % (me, pid))
sleep(0.5 * PACE)  # meanwhile it is a zombie holding its status: killed by SIGTERM
pid, status = os.waitpid(pid, 0)
explain(pid, status)
