// Lesson 12: the real chatroom's processes as the kernel showed them, and what each client's
// screen showed.
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProcessHistory, Timeline } from '../../lib/observe/timeline.js';
import { runAlone } from '../support/alone.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

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

describe('lesson 12 chatroom', () => {
  let run: LessonRun;
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
    run = await runLesson('chatroom');
    server = run.timeline.fact<ServerFact>('server')!;
    clients = new Map(run.timeline.facts<ClientFact>('client').map((each) => [each.name, each]));
  });

  test('the lesson ends cleanly: every chat program exited 0, nothing is left', () => {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    const exits = Object.fromEntries(run.timeline.facts<{ who: string; code: number | null; signal: string | null }>('exit').map(({ who, code, signal }) => [who, { code, signal }]));
    expect(exits).toEqual({
      bob: { code: 0, signal: null },
      server: { code: 0, signal: null },
      alice: { code: 0, signal: null },
      carol: { code: 0, signal: null },
    });
  });

  test('the server listened on a port the kernel chose, on 127.0.0.1', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(9999); // not the course's fixed port
    expect(run.stdout).toContain(`chat server listening on 127.0.0.1:${server.port} (UDP), pid ${server.pid}`);
  });

  test('the tree: lesson → chat-server → chat-admin; lesson → chat-receiver → chat-sender, three times', () => {
    const lessonPid = run.timeline.data.lessonPid;
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
    const expected: Array<[pid: number, title: string, parent: number]> = [
      [server.pid, 'chat-server', lessonPid],
      [server.admin, 'chat-admin', server.pid],
    ];
    for (const name of ['alice', 'bob', 'carol']) {
      const { receiver, sender } = client(name);
      expected.push([receiver, 'chat-receiver', lessonPid], [sender, 'chat-sender', receiver]);
    }
    for (const [pid, title, parent] of expected) {
      const history = proc(pid);
      expect(history.title, `${pid}`).toBe(title);
      expect(history.firstParent, title).toBe(parent);
      // never orphaned, and reaped by that same parent: nothing ended out of order
      expect(history.reparentings(), title).toEqual([]);
      expect(history.record.reapedBy, title).toBe(parent);
      expect(history.everIn('S', { ppid: parent }), title).toBe(true);
    }
  });

  test('all eight processes in the table at once while they talk; bob\'s pair gone before the admin speaks', () => {
    const alive = (pid: number, t: number): boolean => {
      const history = proc(pid);
      return history.record.firstSeen <= t && (history.record.gone ?? Infinity) > t;
    };
    const talk = run.timeline.checkpoint('They talk: the server fans each line out')!;
    const admin = run.timeline.checkpoint('The admin speaks')!;
    expect(talk).toBeDefined();
    expect(admin).toBeDefined();
    const all = [server.pid, server.admin, ...['alice', 'bob', 'carol'].flatMap((name) => [client(name).receiver, client(name).sender])];
    for (const pid of all) expect(alive(pid, talk.t), `${proc(pid).title} ${pid}`).toBe(true);
    const bob = client('bob');
    expect(alive(bob.receiver, admin.t)).toBe(false);
    expect(alive(bob.sender, admin.t)).toBe(false);
    // the sender ended before its receiver, which reaped it
    expect(proc(bob.sender).record.gone!).toBeLessThanOrEqual(proc(bob.receiver).record.gone!);
    for (const pid of [server.pid, server.admin, client('alice').receiver, client('carol').sender]) expect(alive(pid, admin.t)).toBe(true);
  });

  test('what each client received: the others joining, talking and leaving, the admin, the closing notice', () => {
    const received = run.timeline.fact<Record<string, string[]>>('received')!;
    expect(received.alice).toEqual([
      IN_ROOM('alice'),
      'bob joined',
      'carol joined',
      'bob: hi alice',
      'carol: 大家好',
      'bob left',
      ADMIN,
      CLOSING,
      LEFT,
    ]);
    expect(received.bob).toEqual([IN_ROOM('bob'), 'carol joined', 'alice: hello, everyone', 'carol: 大家好', LEFT]);
    expect(received.carol).toEqual([
      'The name alice is taken; choose another.',
      IN_ROOM('carol'),
      'alice: hello, everyone',
      'bob: hi alice',
      'bob left',
      ADMIN,
      CLOSING,
      LEFT,
    ]);
    // Nobody got their own line back.
    for (const [name, lines] of Object.entries(received)) expect(lines.filter((line) => line.startsWith(`${name}:`))).toEqual([]);
  });
});

// Faster than the test pace (nothing here depends on how long a state lasts), and side by side.
describe.concurrent('lesson 12 chatroom, interrupted', () => {
  // In the runner: Ctrl-C stops the lesson's whole process group.
  for (const step of ["carol's terminal: The name alice is taken", '── 4.']) {
    test(`Ctrl-C at "${step}" leaves nothing running`, async ({ expect }) => {
      const run = await runLesson('chatroom', { interruptAfter: step, pace: 0.1 });
      expect(run.stdout).toContain(step);
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }

  test('alone, Ctrl-C reaches the whole job: the room closes and every process is reaped by its own parent', async ({ expect }) => {
    const run = await runAlone('12-chatroom', { interruptAfter: '── 3.', pace: 0.1 });
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
