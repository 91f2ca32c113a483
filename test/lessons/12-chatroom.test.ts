// Lesson 12: the real chatroom's processes as the kernel showed them, and what each client's
// screen showed.
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { kernelAgrees } from '../support/kernel.js';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runAlone } from '../support/alone.js';
import { runLesson, stillRunning } from '../support/run-lesson.js';
import { PREDICT_PACE, runPredicting, type PredictRun } from '../support/predict.js';
import { expectSaidWhileShown, lineAt, stretches } from '../support/pace.js';

interface ServerFact {
  pid: number;
  port: number;
  admin: number;
}
interface ClientFact {
  name: string;
  receiver: number;
  sender: number;
}

const IN_ROOM = (name: string): string => `You are in the room as ${name}. Type a message and press Enter; type quit to leave.`;
const LEFT = 'You have left the room.';
const CLOSING = 'The room is closing. Goodbye!';
const ADMIN = 'admin: The room closes in a minute.';

/** Every process of a run, each with its parent, as the kernel showed them first: "title <- parent title". */
function tree(timeline: Timeline): string[] {
  return timeline
    .processes()
    .filter((each) => each.pid !== timeline.data.lessonPid)
    .map((each) => `${each.title} <- ${timeline.process(each.firstParent)?.title ?? each.firstParent}`)
    .sort();
}

const PACE = PREDICT_PACE; // the run is a predicting one (support/predict.ts)

describe('lesson 12 chatroom', () => {
  // The lesson's one run, predicting (its question answered 'gone'): every claim below and the
  // predict test read it, so the lesson is not run twice.
  let run: PredictRun;
  kernelAgrees('12', () => run?.timeline);
  let server: ServerFact;
  let clients: Map<string, ClientFact>;
  const proc = (pid: number | undefined): ProcessHistory => {
    const found = pid === undefined ? undefined : run.timeline.process(pid);
    if (!found) throw new Error(`the kernel never showed pid ${pid}`);
    return found;
  };
  const client = (name: string): ClientFact => {
    const found = clients.get(name);
    if (!found) throw new Error(`the lesson recorded no client ${name}`);
    return found;
  };
  beforeAll(async () => {
    run = await runPredicting('chatroom', () => 'gone');
    server = run.timeline.fact<ServerFact>('server')!;
    clients = new Map(run.timeline.facts<ClientFact>('client').map((each) => [each.name, each]));
  });

  const lessonPid = (): number => run.timeline.data.lessonPid;
  const at = (checkpoint: string): number => {
    const found = run.timeline.checkpoint(checkpoint);
    if (!found) throw new Error(`no checkpoint "${checkpoint}"`);
    return found.t;
  };
  const exits = (): Record<string, { code: number | null; signal: string | null }> =>
    Object.fromEntries(run.timeline.facts<{ who: string; code: number | null; signal: string | null }>('exit').map(({ who, code, signal }) => [who, { code, signal }]));
  const everyone = (): number[] => [server.pid, server.admin, ...['alice', 'bob', 'carol'].flatMap((name) => [client(name).receiver, client(name).sender])];
  const alive = (pid: number, t: number): boolean => {
    const history = proc(pid);
    return history.record.firstSeen <= t && (history.record.gone ?? Infinity) > t;
  };
  const serverLog = (): string[] => run.timeline.data.output.flatMap((line) => /: server's terminal: (.*)$/.exec(line.text)?.[1] ?? []);
  const received = (): Record<string, string[]> => run.timeline.fact<Record<string, string[]>>('received')!;

  claim('server-admin', () => {
    expect(proc(server.pid).title).toBe('chat-server');
    expect(proc(server.pid).firstParent).toBe(lessonPid());
    expect(proc(server.admin).title).toBe('chat-admin');
    expect(proc(server.admin).firstParent).toBe(server.pid);
  });

  claim('server-admin-asleep', () => {
    const from = run.timeline.data.facts.find((each) => each.name === 'server')!.t;
    const to = at('Three clients join, each a pair of processes');
    for (const pid of [server.pid, server.admin]) {
      // asleep in at least three of every four samples (an idle Node process wakes for its own housekeeping)
      const stats = run.timeline.statsBetween(proc(pid), from, to);
      expect(stats.filter((stat) => stat.startsWith('S')).length * 4, `${proc(pid).title}: ${stats.join(' ')}`).toBeGreaterThanOrEqual(stats.length * 3);
    }
  });

  claim('kernel-port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(9999); // not the course's fixed port
    expect(run.stdout).toContain(`chat server listening on 127.0.0.1:${server.port} (UDP), pid ${server.pid}`);
  });

  claim('client-pairs', () => {
    for (const name of ['alice', 'bob', 'carol']) {
      const { receiver, sender } = client(name);
      expect(proc(receiver).title).toBe('chat-receiver');
      expect(proc(receiver).firstParent).toBe(lessonPid());
      expect(proc(sender).title).toBe('chat-sender');
      expect(proc(sender).firstParent).toBe(receiver);
    }
  });

  claim('one-address', () => {
    const joined = new Map(serverLog().flatMap((line) => {
      const match = /^(\w+) joined from (\S+) \(/.exec(line);
      return match ? [[match[1]!, match[2]!] as const] : [];
    }));
    expect([...joined.keys()]).toEqual(['alice', 'bob', 'carol']);
    expect(new Set(joined.values()).size).toBe(3);
    const refused = serverLog().flatMap((line) => /^refused "alice" from (\S+): name taken$/.exec(line)?.[1] ?? []);
    expect(refused).toEqual([joined.get('carol')]);
  });

  claim('name-taken', () => {
    expect(received().carol!.slice(0, 2)).toEqual(['The name alice is taken; choose another.', IN_ROOM('carol')]);
  });

  claim('all-eight', () => {
    const talk = at('They talk: the server fans each line out');
    for (const pid of everyone()) expect(alive(pid, talk), `${proc(pid).title} ${pid}`).toBe(true);
  });

  claim('mostly-waiting', () => {
    const from = at('They talk: the server fans each line out');
    const to = at('bob types quit');
    for (const pid of everyone()) {
      const stats = run.timeline.statsBetween(proc(pid), from, to);
      const asleep = stats.filter((stat) => stat.startsWith('S')).length;
      expect(asleep * 4, `${proc(pid).title} ${pid}: ${stats.join(' ')}`).toBeGreaterThanOrEqual(stats.length * 3);
    }
  });

  claim('fan-out', () => {
    const lines = received();
    expect(lines.alice).toEqual(expect.arrayContaining(['bob: hi alice', 'carol: 大家好']));
    expect(lines.bob).toEqual(expect.arrayContaining(['alice: hello, everyone', 'carol: 大家好']));
    expect(lines.carol).toEqual(expect.arrayContaining(['alice: hello, everyone', 'bob: hi alice']));
    // Nobody got their own line back.
    for (const [name, screen] of Object.entries(lines)) expect(screen.filter((line) => line.startsWith(`${name}:`))).toEqual([]);
  });

  claim('bob-quits', () => {
    expect(received().bob!.at(-1)).toBe(LEFT);
    expect(received().alice).toContain('bob left');
    expect(received().carol).toContain('bob left');
    expect(serverLog()).toContain('bob left (2 in the room)');
    const bob = client('bob');
    expect(proc(bob.sender).record.reapedBy).toBe(bob.receiver);
    // the sender ended before its receiver, which reaped it
    expect(proc(bob.sender).record.gone!).toBeLessThanOrEqual(proc(bob.receiver).record.gone!);
    expect(exits().bob).toEqual({ code: 0, signal: null });
  });

  claim('bob-rows-gone', () => {
    const bob = client('bob');
    const said = run.timeline.data.output.find((line) => line.text.includes("bob's receiver ended its sender, reaped it, and exited"));
    expect(said).toBeDefined();
    const next = run.timeline.firstSampleAfter(said!.t)!;
    for (const pid of [bob.receiver, bob.sender]) {
      expect(proc(pid).record.gone!).toBeLessThanOrEqual(next);
      expect(alive(pid, at('The admin speaks'))).toBe(false);
    }
  });

  claim('admin-nothing-new', () => {
    const from = at('The admin speaks');
    const to = at('Ctrl-C on the server closes the room');
    const started = run.timeline.processes().filter((each) => each.record.firstSeen >= from && each.record.firstSeen < to);
    expect(started.map((each) => each.title)).toEqual([]);
    for (const pid of [server.pid, server.admin, client('alice').receiver, client('alice').sender, client('carol').receiver, client('carol').sender]) {
      expect(alive(pid, from)).toBe(true);
    }
  });

  claim('admin-line', () => {
    expect(serverLog()).toContain('members (2): alice carol');
    expect(serverLog()).toContain('admin said "The room closes in a minute." to 2 member(s)');
    expect(received().alice).toContain(ADMIN);
    expect(received().carol).toContain(ADMIN);
    expect(received().bob).not.toContain(ADMIN);
  });

  claim('room-closes', () => {
    expect(serverLog()).toContain('SIGINT: closing the room');
    for (const name of ['alice', 'carol']) expect(received()[name]!.slice(-2)).toEqual([CLOSING, LEFT]);
    expect(exits()).toEqual({
      bob: { code: 0, signal: null },
      server: { code: 0, signal: null },
      alice: { code: 0, signal: null },
      carol: { code: 0, signal: null },
    });
    expect(proc(server.admin).record.reapedBy).toBe(server.pid);
    for (const name of ['alice', 'carol']) expect(proc(client(name).sender).record.reapedBy).toBe(client(name).receiver);
  });

  claim('own-parent', () => {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    expect(tree(run.timeline)).toEqual([
      'chat-admin <- chat-server',
      'chat-receiver <- lesson',
      'chat-receiver <- lesson',
      'chat-receiver <- lesson',
      'chat-sender <- chat-receiver',
      'chat-sender <- chat-receiver',
      'chat-sender <- chat-receiver',
      'chat-server <- lesson',
    ]);
    for (const pid of everyone()) {
      const history = proc(pid);
      // never orphaned, and reaped by that same parent: nothing ended out of order
      expect(history.reparentings(), history.title).toEqual([]);
      expect(history.record.reapedBy, history.title).toBe(history.firstParent);
      expect(history.everIn('S', { ppid: history.firstParent }), history.title).toBe(true);
    }
  });

  claim('said-while-shown', () => {
    const timeline = run.timeline;
    /** The child's row, alive, under this parent. */
    const under = (child: number, parent: number) => stretches(proc(child), (span) => span.ppid === parent && !span.stat.startsWith('Z'));
    expectSaidWhileShown(timeline, lineAt(timeline, `its admin console is a second process, pid ${server.admin}`), under(server.admin, server.pid), PACE, 'chat-admin under chat-server');
    for (const name of ['alice', 'bob', 'carol']) {
      const { receiver, sender } = client(name);
      expectSaidWhileShown(timeline, lineAt(timeline, `${name}: chat-receiver ${receiver}, and its child chat-sender ${sender}`), under(sender, receiver), PACE, `${name}'s sender under its receiver`);
    }
  });

  claim('screens', () => {
    const lines = received();
    expect(lines.alice).toEqual([IN_ROOM('alice'), 'bob joined', 'carol joined', 'bob: hi alice', 'carol: 大家好', 'bob left', ADMIN, CLOSING, LEFT]);
    expect(lines.bob).toEqual([IN_ROOM('bob'), 'carol joined', 'alice: hello, everyone', 'carol: 大家好', LEFT]);
    expect(lines.carol).toEqual(['The name alice is taken; choose another.', IN_ROOM('carol'), 'alice: hello, everyone', 'bob: hi alice', 'bob left', ADMIN, CLOSING, LEFT]);
  });

  test("bob's receiver after quit: the table gives the answer (gone)", () => {
    expect(run.code).toBe(0);
    expect(run.questions).toHaveLength(1);
    const [question] = run.questions;
    const bob = run.timeline.facts<{ name: string; receiver: number }>('client').find((each) => each.name === 'bob')!;
    expect(question!.pid).toBe(bob.receiver);
    // The reveal comes at the next step; by then the receiver had exited and been reaped.
    const receiver = run.timeline.process(bob.receiver)!;
    expect(receiver.record.gone!).toBeLessThanOrEqual(question!.revealedAt!);
    expect(question!.actual).toBe('gone');
    expect(question!.right).toBe(true);
    expect(run.timeline.leftovers()).toEqual([]);
  });
});

// Side by side. At the tests' usual pace: at 0.1 the lesson was over 400 ms after '── 4.', too
// little for a test that a busy machine starves to send its Ctrl-C while there is something to stop.
describe.concurrent('lesson 12 chatroom, interrupted', () => {
  // In the runner: Ctrl-C stops the lesson's whole process group.
  for (const step of ["carol's terminal: The name alice is taken", '── 4.']) {
    claim('ctrl-c-alone', async () => {
      const run = await runLesson('chatroom', { interruptAfter: step, pace: 0.3 });
      expect(run.stdout).toContain(step);
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  claim('ctrl-c-alone', async () => {
    const run = await runAlone('12-chatroom', { interruptAfter: '── 3.', pace: 0.3 });
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('SIGINT: closing the room');
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    const titles = run.timeline.processes().map((each) => each.title);
    expect(titles.filter((title) => title === 'chat-sender')).toHaveLength(3);
    for (const each of run.timeline.processes()) {
      if (each.pid === run.pid) continue;
      expect(each.reparentings(), `${each.title} ${each.pid}`).toEqual([]);
      expect(each.record.reapedBy, `${each.title} ${each.pid}`).toBe(each.firstParent);
    }
  });
});
