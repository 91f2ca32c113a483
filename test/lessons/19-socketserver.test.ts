// Lesson 19: socketserver's forking and threading servers and the remote-command server, as the
// kernel showed them.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory } from '../../lib/observe/timeline.js';
import { runAlone } from '../support/alone.js';
import { claim } from '../support/claims.js';
import { aliveStretch, expectSaidWhileShown, lineAt } from '../support/pace.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { ONE_SAMPLE, runLesson, stillRunning } from '../support/run-lesson.js';

const PACE = PREDICT_PACE; // the run is a predicting one (support/predict.ts)
/** The command the client sends to be watched: 2 s of sleep × the pace (the server allows at most 3). */
const NAP = `sleep ${Math.min(3, Math.round(2000 * PACE) / 1000)}`;

type Kind = 'forking server' | 'threading server' | 'command server';
interface Three {
  clients: number[];
  pids: number[];
}
interface Remote {
  line: string;
  header: { refused: boolean; code?: number | null; total_size: number };
  output: string;
}

describe('lesson 19 socketserver', () => {
  // The lesson's one run, predicting (its question answered 'gone'): every claim below and the
  // predict test read it, so the lesson is not run twice.
  let run: PredictRun;
  let servers: Record<Kind, number>;
  let slack: number;
  const proc = (pid: number): ProcessHistory => {
    const found = run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  /** The handler process the forking server started for a client port (it recorded it as it forked). */
  const handlerFor = (client: number): number => {
    const found = run.timeline.facts<{ pid: number; client: number }>('handler').find((each) => each.client === client);
    if (!found) throw new Error(`the forking server started no handler for client :${client}`);
    return found.pid;
  };

  beforeAll(async () => {
    run = await runPredicting('socketserver', () => 'gone');
    const started = run.timeline.facts<{ kind: Kind; pid: number }>('server');
    servers = Object.fromEntries(started.map((each) => [each.kind, each.pid])) as Record<Kind, number>;
    slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
  });

  test('the lesson ends cleanly and leaves nothing', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });

  claim('forking-one-per-client', () => {
    const forking = servers['forking server'];
    const three = run.timeline.fact<Three>('forking.three')!;
    expect(three.pids).toHaveLength(3);
    expect(new Set(three.pids).size).toBe(3);
    const handlers = three.clients.map((client, index) => {
      const pid = handlerFor(client);
      // the process that answered the client is the handler the server started for it
      expect(three.pids[index]).toBe(pid);
      expect(pid).not.toBe(forking);
      const history = proc(pid);
      expect(history.firstParent).toBe(forking);
      expect(history.title).toBe(`handler for :${client}`);
      expect(history.everIn('S', { ppid: forking })).toBe(true);
      return history;
    });
    // all three in the table at once
    const allUp = Math.max(...handlers.map((each) => each.record.firstSeen));
    const firstGone = Math.min(...handlers.map((each) => each.record.gone ?? Infinity));
    expect(allUp).toBeLessThan(firstGone);
    // and the forking server had no other child
    expect(proc(forking).children().map((each) => each.pid).sort()).toEqual([...three.pids].sort());
  });

  claim('forking-reaped', () => {
    const forking = servers['forking server'];
    const closes = run.timeline.data.facts.filter((each) => each.name === 'client.closed');
    expect(closes).toHaveLength(3);
    closes.forEach((close, index) => {
      const handler = proc(handlerFor(close.value as number));
      // alive until its client hung up, gone before the next client hung up
      expect(handler.record.gone!).toBeGreaterThanOrEqual(close.t - slack);
      const next = closes[index + 1];
      // (its end as the kernel timed it where it reported it: a row's disappearance is seen a sample late)
      if (next) expect(handler.record.exit?.t ?? handler.record.gone!).toBeLessThan(next.t);
      expect(handler.record.exit).toMatchObject({ code: 0, signal: null });
      expect(handler.record.reapedBy).toBe(forking);
      // reaped at once by libuv: a zombie for a sample or two at most, not left for later
      expect(handler.reapableZombieTime()).toBeLessThanOrEqual(slack);
    });
  });

  claim('threading-one-pid', () => {
    const threading = servers['threading server'];
    const three = run.timeline.fact<Three>('threading.three')!;
    expect(three.pids).toEqual([threading, threading, threading]);
    expect(proc(threading).firstParent).toBe(run.timeline.data.lessonPid);
    expect(proc(threading).children()).toEqual([]);
    // while its three clients were connected the table held one threading server, no handler
    const from = run.timeline.checkpoint('ThreadingTCPServer: every connection in one process')!.t;
    const to = run.timeline.checkpoint('A remote-command server')!.t;
    const born = run.timeline.processes().filter((each) => each.record.firstSeen > from && each.record.firstSeen < to);
    expect(born.map((each) => each.pid)).toEqual([threading]);
  });

  claim('command-child', () => {
    const server = servers['command server'];
    const commands = run.timeline.facts<{ pid: number; argv: string[] }>('command');
    const sleeper = commands.find((each) => each.argv.join(' ') === NAP)!;
    expect(sleeper).toBeDefined();
    const history = proc(sleeper.pid);
    // the command itself, directly under the server: no shell in between
    expect(history.firstParent).toBe(server);
    expect(history.record.executable).toMatch(/(^|\/)sleep$/);
    expect(history.title).toMatch(/^sleep\b/);
    expect(history.record.reapedBy).toBe(server);
    // seen sleeping for most of its 2 s × pace (the table samples every few ms) …
    expect(history.timeIn('S')).toBeGreaterThanOrEqual(2000 * PACE - 2 * slack);
    // … after the lesson said to watch it, and all of it while that was on screen.
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'Watch the table while it sleeps'), [aliveStretch(history)], PACE, 'the command server\'s sleep');
    const done = run.timeline.facts<{ pid: number; code: number | null }>('command.done').find((each) => each.pid === sleeper.pid);
    expect(done?.code).toBe(0);
    // every child the command server ever had is a command it reported running: never a shell
    const started = new Set(commands.map((each) => each.pid));
    for (const child of proc(server).children()) {
      expect(started.has(child.pid)).toBe(true);
      expect(child.record.executable).not.toMatch(/(^|\/)(ba|da)?sh$/);
    }
  });

  claim('said-while-shown', () => {
    // The three handlers together: from the moment all three are in the table until the first goes.
    const three = run.timeline.fact<Three>('forking.three')!;
    const handlers = three.clients.map((client) => aliveStretch(proc(handlerFor(client))));
    const together = { from: Math.max(...handlers.map((each) => each.from)), to: Math.min(...handlers.map((each) => each.to)) };
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'The table: under the forking server, one `handler for :<port>` process per client'), [together], PACE, 'three handlers');
    // The threading server alone, childless ([threading-one-pid]): its row, until it closes.
    const threading = aliveStretch(proc(servers['threading server']));
    expectSaidWhileShown(run.timeline, lineAt(run.timeline, 'the table shows the threading server alone'), [threading], PACE, 'the threading server alone');
  });

  claim('command-refused', () => {
    const remote = run.timeline.fact<Remote[]>('remote')!;
    const answered = Object.fromEntries(remote.map((each) => [each.line, each]));
    for (const line of ['rm -rf ~', 'sh -c whoami']) {
      expect(answered[line]!.header.refused).toBe(true);
      expect(answered[line]!.output).toMatch(/^refused: .* is not a command this server runs/);
      expect(answered[line]!.header.total_size).toBe(Buffer.byteLength(answered[line]!.output));
    }
    // nothing started for them: the server ran exactly the three allowed commands
    const commands = run.timeline.facts<{ argv: string[] }>('command').map((each) => each.argv.join(' '));
    expect(commands).toEqual(['uname -s', 'echo $HOME; whoami', NAP]);
    // and without a shell, "$HOME; whoami" was one argument, echoed as it was
    expect(answered['echo $HOME; whoami']!.output).toBe('$HOME; whoami\n');
    expect(answered['uname -s']!.header).toMatchObject({ refused: false, code: 0 });
    const server = servers['command server'];
    for (const child of proc(server).children()) expect(child.title).not.toMatch(/\b(rm|sh)\b/);
  });

  claim('servers-exit', () => {
    for (const pid of Object.values(servers)) {
      const server = proc(pid);
      expect(server.firstParent).toBe(run.timeline.data.lessonPid);
      expect(server.record.exit).toMatchObject({ code: 0, signal: null });
      expect(server.record.reapedBy).toBe(run.timeline.data.lessonPid);
      expect(server.record.gone!).toBeGreaterThan(run.timeline.checkpoint('Closing the servers')!.t);
    }
  });

  test('the handler after its client hung up: the table gives the answer', () => {
    expect(run.code).toBe(0);
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const first = run.timeline.fact<Three>('forking.three')!.pids[0]!;
    expect(question!.pid).toBe(first);
    // the table's answer is what the timeline shows of that handler then
    const handler = run.timeline.process(first)!;
    const slack = ONE_SAMPLE * run.timeline.data.sampleIntervalMs;
    const at = question!.revealedAt!;
    if (question!.actual === 'gone') expect(handler.record.gone!).toBeLessThanOrEqual(at + slack);
    else expect(handler.record.gone ?? Infinity).toBeGreaterThan(at - slack);
    expect(question!.right).toBe(question!.actual === 'gone');
    expect(run.timeline.leftovers()).toEqual([]);
  });
});

describe.concurrent('lesson 19 socketserver, interrupted', () => {
  for (const at of ['HELLO FROM CLIENT 3', '── 2.', `>> ${NAP}`]) {
    test(`Ctrl-C at "${at}" leaves nothing running`, async () => {
      const run = await runLesson('socketserver', { interruptAfter: at });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone (no runner), Ctrl-C while three handler processes hold connections leaves nothing running', async () => {
    // Ctrl-C reaches the terminal's foreground process group: the lesson and all it started.
    const run = await runAlone('19-socketserver', { interruptAfter: 'HELLO FROM CLIENT 3' });
    expect(run.signal).toBe('SIGINT');
    expect(run.timeline.processes().length).toBeGreaterThan(4);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
