// Exercise 18: a chat server in one process. The check is its clients: several connected at once,
// each line one of them sends reaching every other (and not its sender), one hanging up while the
// rest go on; and all the while the table shows the server alone, with no child.
import type { TableRow } from '../../observe/observer.js';
import { childrenOf, errorLine, plural, who } from '../claims.js';
import { describeEnd, fail, waitUntil, type Check, type Running } from '../harness.js';
import { accepts, freeTcpPort, LineClient, waitingToBeAccepted } from './tcp.js';

const WORDS = ['hello', 'ni hao', 'bonjour', 'hola', 'ciao', 'hallo', 'salut', 'privet'];
/** How long a line may take to reach every other client (generous: a loaded machine is slow). */
const LINE_MS = 3000;

function describeRow(row: TableRow): string {
  const title = row.title.trim();
  return title && !title.includes('/') && title.length <= 40 ? `pid ${row.pid} (${title})` : `pid ${row.pid}`;
}

/** The table showed the server with no child so far (those already gone count too). */
function aloneSoFar(running: Running, connected: number): void {
  const children = running.rows().filter((row) => row.bornTo === running.pid && row.pid !== running.pid);
  if (children.length > 0) {
    fail(`With ${plural(connected, 'client')} connected, the server had ${plural(children.length, 'child process', 'child processes')} (${children.slice(0, 3).map(describeRow).join(', ')}${children.length > 3 ? ', …' : ''}): serve every connection in this one process, on its event loop, and start no process.`);
  }
}

export const checkOneProcessChat: Check = async ({ start, random }) => {
  const port = await freeTcpPort();
  const count = random.int(3, 6);
  const running = start({ port }, { timeoutMs: 20_000 });
  const clients: LineClient[] = [];
  const gone = new Set<number>(); // the clients the check hung up

  /** The server is still there; if it is not, say how it ended, and after what. */
  const stillServing = async (after: string): Promise<void> => {
    const end = running.exited();
    if (!end) return;
    const said = errorLine(await running.done);
    fail(`The server ${describeEnd(end.code, end.signal)}${said ? ` (${said.replace(/\.$/, '')})` : ''} ${after}: go on serving the clients that are still connected.`);
  };

  /** Client `from` sends a line; every other client still connected must get it, as a line. */
  const relay = async (from: number, when: string): Promise<string> => {
    const line = `${random.pick(WORDS)} ${random.hex(3)}`;
    clients[from]!.send(line);
    const connected = clients.length - gone.size;
    for (const [index, client] of clients.entries()) {
      if (index === from || gone.has(index)) continue;
      const got = await waitUntil(() => client.received.includes(line) || client.closedByPeer || running.exited() !== undefined, LINE_MS);
      if (got && client.received.includes(line)) continue;
      await stillServing(`${when}, while client ${from + 1}'s line was on its way`);
      aloneSoFar(running, connected);
      if (client.closedByPeer) fail(`The server closed client ${index + 1}'s connection ${when}: keep every client connected until it hangs up.`);
      if (client.partial.includes(line)) fail(`Client ${index + 1} got ${JSON.stringify(client.partial)} with no line end: pass each line on as a line, ending in "\\n".`);
      const other = client.received.at(-1);
      fail(`Client ${from + 1} sent ${JSON.stringify(line)} ${when} and client ${index + 1} got ${other === undefined ? 'nothing' : `only ${JSON.stringify(other)}`} within ${LINE_MS / 1000} s: send each line to every other client connected.`);
    }
    return line;
  };

  try {
    await running.until(`the server to accept connections on port ${port}`, () => accepts(running.network, port), 6000);
    for (let index = 0; index < count; index++) {
      const client = await LineClient.connect(running.network, port);
      if (!client) fail(`Client ${index + 1} could not connect while ${plural(index, 'other was', 'others were')} connected.`);
      clients.push(client);
    }
    // Connected is not yet accepted: a line sent now could reach the server before it knows the
    // clients connected after the sender. Wait until its accept queue is empty.
    await running.until(`the server to accept all ${count} connections`, () => (waitingToBeAccepted(running.network, port) ?? 0) === 0, 3000);

    // Everyone connected, each speaks in turn; every other one hears it.
    const lines: string[] = [];
    for (let from = 0; from < count; from++) lines.push(await relay(from, `while all ${count} clients were connected`));
    aloneSoFar(running, count);
    // A line sent back to its sender comes, on that connection, before the lines sent after it:
    // by now every client but the last has either got its own line back or never will.
    for (const [index, client] of clients.entries()) {
      if (client.received.includes(lines[index]!)) fail(`Client ${index + 1} got back its own line ${JSON.stringify(lines[index])}: send each line to every other client, not to the one who sent it.`);
    }

    // One hangs up; the others go on.
    const leaver = random.int(count);
    await clients[leaver]!.close();
    gone.add(leaver);
    for (let from = 0; from < count; from++) {
      if (gone.has(from)) continue;
      await stillServing(`after client ${leaver + 1} hung up`);
      await relay(from, `after client ${leaver + 1} hung up`);
    }
    aloneSoFar(running, count - 1);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  running.kill('SIGKILL');
  const result = await running.done;
  // The timeline, besides the live table: a child that lived less than a sample is there too.
  const children = childrenOf(result);
  if (children.length > 0) fail(`The server started ${plural(children.length, 'child process', 'child processes')} (${children.slice(0, 3).map(who).join(', ')}): serve every connection in this one process, on its event loop, and start no process.`);
};
