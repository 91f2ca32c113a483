// Lesson 18: one server process, many connections: its epoll instance as /proc showed it, held
// against the process table the runner recorded.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt } from '../support/pace.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { ONE_SAMPLE, runLesson, stillRunning } from '../support/run-lesson.js';

interface Loop {
  connected: number;
  epfd: number;
  epolls: number[];
  watched: number;
  listening: string[];
  clients: number[];
  wchan: string;
}

const PACE = PREDICT_PACE; // the run is a predicting one (support/predict.ts)

describe('lesson 18 multiplexing', () => {
  // The lesson's one run, predicting (its question answered 'S'): every claim below and the
  // predict test read it, so the lesson is not run twice.
  let run: PredictRun;
  let serverPid: number;
  let loops: Array<Loop & { t: number }>;
  const proc = (pid: number): ProcessHistory => {
    const found = run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  /** The lesson's processes alive at time t (seen by then, not yet gone). */
  const aliveAt = (t: number): number[] =>
    run.timeline
      .processes()
      .filter((each) => each.record.firstSeen <= t && (each.record.gone ?? Infinity) > t)
      .map((each) => each.pid)
      .sort((a, b) => a - b);

  beforeAll(async () => {
    run = await runPredicting('multiplexing', () => 'S');
    serverPid = run.timeline.fact<{ pid: number }>('server')!.pid;
    loops = run.timeline.data.facts.filter((each) => each.name === 'loop').map((each) => ({ ...(each.value as Loop), t: each.t }));
  });

  test('the lesson ends cleanly and leaves nothing', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });

  claim('one-server', () => {
    const server = proc(serverPid);
    expect(server.firstParent).toBe(run.timeline.data.lessonPid);
    expect(server.title).toBe('server');
    // the lesson's only child, and a server that never had a child of its own
    expect(run.timeline.lesson!.children().map((each) => each.pid)).toEqual([serverPid]);
    expect(server.children()).toEqual([]);
    expect(run.timeline.processes()).toHaveLength(2);
  });

  claim('epoll-fd', () => {
    const [first] = loops;
    expect(first!.connected).toBe(0);
    expect(first!.epolls.length).toBeGreaterThanOrEqual(1);
    expect(first!.epolls).toContain(first!.epfd);
    // the loop's instance watches the listening socket and no client yet
    const { port } = run.timeline.fact<{ port: number }>('server')!;
    for (const loop of loops) expect(loop.listening).toEqual([`listening :${port}`]);
    expect(first!.watched).toBeGreaterThanOrEqual(2);
    expect(first!.clients).toEqual([]);
    // The server sleeps in epoll_wait: the table shows it S, and /proc/<pid>/wchan named the
    // kernel function at least once among the reads (a read taken while it ran says nothing).
    expect(proc(serverPid).everIn('S')).toBe(true);
    const named = loops.map((each) => each.wchan).filter((each) => each !== '');
    expect(named.length).toBeGreaterThanOrEqual(1);
    for (const wchan of named) expect(wchan).toMatch(/epoll|ep_poll/);
  });

  claim('watched-grows', () => {
    expect(loops.map((each) => each.connected)).toEqual([0, 1, 2, 3, 53, 0]);
    const three = run.timeline.fact<{ clients: number[] }>('three')!;
    // one client socket in the server's epoll list per connected client: exactly their ports
    for (const [index, loop] of loops.slice(1, 4).entries()) {
      expect(loop.clients.sort()).toEqual(three.clients.slice(0, index + 1).sort());
    }
    const many = loops[4]!;
    expect(many.clients).toHaveLength(53);
    expect(new Set(many.clients).size).toBe(53);
    for (const port of three.clients) expect(many.clients).toContain(port);
    // the list grew by the clients, and only by them: every other watched descriptor stayed
    expect(many.watched - many.clients.length).toBe(loops[0]!.watched);
    // one epoll instance all along: the same descriptor
    expect(new Set(loops.map((each) => each.epfd)).size).toBe(1);
  });

  claim('same-pid', () => {
    const three = run.timeline.fact<{ pids: number[] }>('three')!;
    expect(three.pids).toEqual([serverPid, serverPid, serverPid]);
  });

  claim('one-process-many', () => {
    // at each moment /proc showed N client sockets, the table held two processes: clients, server
    for (const loop of loops.slice(1, 5)) {
      expect(aliveAt(loop.t)).toEqual([run.timeline.data.lessonPid, serverPid].sort((a, b) => a - b));
    }
    // and the server was asleep in the table then, not busy per client: seen S while 53 were connected
    const many = loops[4]!;
    const slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
    const leave = run.timeline.checkpoint('The clients leave')!.t;
    expect(proc(serverPid).spansIn('S').some((span) => span.to > many.t - slack && span.from < leave)).toBe(true);
  });

  claim('watched-shrinks', () => {
    const last = loops.at(-1)!;
    expect(last.connected).toBe(0);
    expect(last.clients).toEqual([]);
    expect(last.watched).toBe(loops[0]!.watched);
    expect(last.t).toBeGreaterThan(run.timeline.checkpoint('The clients leave')!.t);
  });

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    const server = proc(serverPid);
    // Asleep with no client: from its first sample until the next step, where clients come.
    const idle = { from: server.record.firstSeen, to: timeline.checkpoint('Three clients, still one process')!.t };
    expectSaidWhileShown(timeline, lineAt(timeline, 'The server is asleep (S) in epoll_wait()'), [idle], PACE, 'the server asleep, no client');
    // One server, no child ([one-server]): its row, until it exits.
    expectSaidWhileShown(timeline, lineAt(timeline, 'This table has ONE server, no children'), [aliveStretch(server)], PACE, 'one server, three clients');
    expectSaidWhileShown(timeline, lineAt(timeline, 'still one server process'), [aliveStretch(server)], PACE, 'one server, 53 clients');
  });

  claim('server-exits', () => {
    const server = proc(serverPid);
    expect(server.record.exit).toMatchObject({ code: 0, signal: null });
    expect(server.record.reapedBy).toBe(run.timeline.data.lessonPid);
    expect(server.record.gone!).toBeGreaterThan(run.timeline.checkpoint('Closing the server')!.t);
  });

  test("the server's STAT among three clients: the table gives the answer", () => {
    expect(run.code).toBe(0);
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const server = run.timeline.fact<{ pid: number }>('server')!.pid;
    expect(question!.pid).toBe(server);
    // what the runner read is what the timeline holds for the server at that moment
    const slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
    const at = question!.revealedAt!;
    const seen = run.timeline.process(server)!.record.spans.filter((each) => each.to >= at - slack && each.from <= at + slack).map((each) => each.stat[0]);
    expect(seen).toContain(question!.actual);
    expect(question!.right).toBe(question!.actual === 'S');
    expect(run.timeline.leftovers()).toEqual([]);
  });
});

describe.concurrent('lesson 18 multiplexing, interrupted', () => {
  for (const at of ['── 2.', 'clients connected', '── 4.']) {
    test(`Ctrl-C at "${at}" leaves nothing running`, async () => {
      const run = await runLesson('multiplexing', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }
});
