// Exercise 19: the course's socketserver homework. The same file runs twice at once, as a forking
// server and as a threading server; the check is several clients of each. Every line answered,
// by the same pid for a whole conversation. Forking: a child of the server per connected client
// in the table, a pid of its own per client, the children gone once their clients hang up.
// Threading: one pid for every client, and no child at all.
import type { TableRow } from '../../observe/observer.js';
import { errorLine, liveChildren, plural } from '../claims.js';
import { describeEnd, fail, waitUntil, type Check, type Running } from '../harness.js';
import { accepts, freeTcpPort, LineClient } from './tcp.js';

type Kind = 'forking' | 'threading';

const WORDS = ['hello', 'ni hao', 'bonjour', 'hola', 'ciao', 'hallo', 'salut', 'privet'];
/** How long an answer may take (generous: a forking server starts a process first). */
const ANSWER_MS = 4000;

function describeRow(row: TableRow): string {
  const title = row.title.trim();
  return title && !title.includes('/') && title.length <= 40 ? `pid ${row.pid} (${title})` : `pid ${row.pid}`;
}

/** The server's children the table has shown so far (those already gone count too). */
function childRows(running: Running): TableRow[] {
  return running.rows().filter((row) => row.bornTo === running.pid && row.pid !== running.pid);
}

export const checkSocketServer: Check = async (context) => {
  const kinds: Kind[] = ['forking', 'threading'];
  const outcomes = await Promise.allSettled(kinds.map((kind) => serve(kind, { ...context, random: context.random.fork(kind) })));
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
};

async function serve(kind: Kind, { start, random }: Parameters<Check>[0]): Promise<void> {
  const port = await freeTcpPort();
  const count = random.int(2, 5);
  const Kind = kind === 'forking' ? 'Forking server' : 'Threading server';
  const running = start({ port, server: kind }, { timeoutMs: 20_000 });
  const clients: LineClient[] = [];
  try {
    await running.until(`the ${kind} server to accept connections on port ${port}`, () => accepts(running.network, port), 6000);
    for (let index = 0; index < count; index++) {
      const client = await LineClient.connect(running.network, port);
      if (!client) fail(`${Kind}: client ${index + 1} could not connect while ${plural(index, 'other was', 'others were')} connected.`);
      clients.push(client);
    }

    // Two rounds, every client at once; each answer names the pid that gave it.
    const answeredBy: number[] = [];
    for (const round of [1, 2]) {
      const lines = clients.map(() => `${random.pick(WORDS)} ${random.hex(2)}`);
      clients.forEach((client, index) => client.send(lines[index]!));
      for (const [index, client] of clients.entries()) {
        const sent = round === 1 ? JSON.stringify(lines[index]) : `a second line, ${JSON.stringify(lines[index])},`;
        const answer = await client.next(ANSWER_MS);
        if (answer === undefined) await noAnswer(kind, running, `client ${index + 1} sent ${sent}`, client.closedByPeer);
        const match = /^(.*) \(pid (\d+)\)$/.exec(answer!);
        if (!match || match[1] !== lines[index]!.toUpperCase()) {
          fail(`${Kind}: client ${index + 1} sent ${sent} and got ${JSON.stringify(answer)}; handle() answers each line in upper case, then " (pid <the pid that answers>)".`);
        }
        const pid = Number(match[2]);
        if (round === 1) answeredBy.push(pid);
        else if (pid !== answeredBy[index]) fail(`${Kind}: client ${index + 1} was answered by pid ${answeredBy[index]}, then by pid ${pid}: one handle() talks to a client for its whole conversation.`);
      }
    }

    // Where the handlers ran, as the table showed it while every client was connected.
    const pids = [...new Set(answeredBy)];
    const live = liveChildren(running.rows(), running.pid);
    if (kind === 'forking') {
      if (childRows(running).length === 0) {
        fail(`Forking server: it had no child process while ${plural(count, 'client was', 'clients were')} connected (${pids.length === 1 ? `all answered by pid ${pids[0]}` : `answered by pids ${pids.join(', ')}`}): a forking server runs each connection's handle() in a process of its own.`);
      }
      for (const [index, pid] of answeredBy.entries()) {
        const other = answeredBy.indexOf(pid);
        if (other !== index) fail(`Forking server: clients ${other + 1} and ${index + 1} were both answered by pid ${pid}: a forking server starts a process per connection.`);
      }
      if (live.length < count) fail(`Forking server: with ${plural(count, 'client')} connected, the table showed ${plural(live.length, 'child', 'children')} of the server alive (${live.join(', ') || 'none'}): a process per connection, for as long as it lasts.`);
    } else {
      const children = childRows(running);
      if (children.length > 0) {
        fail(`Threading server: it had ${plural(children.length, 'child process', 'child processes')} (${children.slice(0, 3).map(describeRow).join(', ')}${children.length > 3 ? ', …' : ''}) while ${plural(count, 'client was', 'clients were')} connected: a threading server runs every handle() in its own process.`);
      }
      if (pids.length > 1) fail(`Threading server: the ${count} clients were answered by ${pids.length} different pids (${pids.join(', ')}): a threading server answers them all from its one process.`);
    }

    // The clients hang up; a forking server's handlers end, and are collected.
    await Promise.all(clients.map((client) => client.close()));
    if (kind === 'forking') {
      const gone = await waitUntil(() => liveChildren(running.rows(), running.pid).length === 0, 3000);
      const left = liveChildren(running.rows(), running.pid);
      if (!gone) fail(`Forking server: 3 s after every client had hung up, ${left.join(', ')} ${left.length === 1 ? 'was' : 'were'} still running: a handler's process ends once its handle() has returned.`);
    }
    const end = running.exited();
    if (end) fail(`${Kind}: it ${describeEnd(end.code, end.signal)} once its clients had hung up: serveForever() serves until it is stopped.`);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** A client got no answer: say what the table showed instead (a crashed handler, no server …). */
async function noAnswer(kind: Kind, running: Running, what: string, closed: boolean): Promise<never> {
  const Kind = kind === 'forking' ? 'Forking server' : 'Threading server';
  const end = running.exited();
  if (end) {
    const said = errorLine(await running.done);
    fail(`${Kind}: it ${describeEnd(end.code, end.signal)}${said ? ` (${said.replace(/\.$/, '')})` : ''} after ${what}.`);
  }
  // A handler process that ended badly before answering: what it printed says why. (Its
  // connection closes as it dies: its end may reach the table a sample after the client saw that.)
  const endedBadly = (): TableRow | undefined => childRows(running).find((row) => row.exit && (row.exit.code !== 0 || row.exit.signal));
  if (closed) await waitUntil(() => endedBadly() !== undefined, 1000);
  const failed = endedBadly();
  if (failed?.exit) {
    running.kill('SIGKILL');
    const said = errorLine(await running.done);
    fail(`${Kind}: ${what} and got no answer: the handler process ${describeRow(failed)} ${describeEnd(failed.exit.code, failed.exit.signal ?? null)}${said ? ` (${said.replace(/\.$/, '')})` : ''}: a process the server starts for a connection runs handle() for it (ForkingTCPServer.handleOne), not the server again.`);
  }
  if (closed) fail(`${Kind}: ${what} and its connection was closed without an answer: handle() answers every line until the client hangs up (it returns only then).`);
  fail(`${Kind}: ${what} and got no answer within ${ANSWER_MS / 1000} s.`);
}
