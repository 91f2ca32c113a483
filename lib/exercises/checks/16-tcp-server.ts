// Exercise 16: several clients at once, each answered by a process of its own, a child of the
// server, for its whole conversation; the workers gone and collected after the clients leave;
// SIGTERM ends the server with code 0.
import { childrenCollected, childrenOf, errorLine, liveChildren } from '../claims.js';
import { fail, waitUntil, type Check } from '../harness.js';
import { accepts, freeTcpPort, LineClient, MAX_UNREAD } from './tcp.js';

const WORDS = ['hello', 'ni hao', 'bonjour', 'hola', 'ciao', 'hallo', 'salut', 'privet'];

export const checkTcpServer: Check = async ({ start, random }) => {
  const port = await freeTcpPort();
  const count = random.int(2, 5);
  const running = start({ port }, { timeoutMs: 15_000 });
  const clients: LineClient[] = [];
  try {
    await running.until(`the server to accept connections on port ${port}`, () => accepts(running.network, port), 6000);
    for (let index = 0; index < count; index++) {
      const client = await LineClient.connect(running.network, port);
      if (!client) fail(`Client ${index + 1} could not connect while ${index} ${index === 1 ? 'was' : 'were'} connected.`);
      clients.push(client);
    }
    // Who answered: the pid the answer names (the exercise's own, in a sandbox), and the host's.
    const answeredBy: number[] = [];
    const hostOf = (said: number): number => running.hostPid(said);
    for (const round of [1, 2]) {
      const words = clients.map(() => `${random.pick(WORDS)} ${random.hex(2)}`);
      clients.forEach((client, index) => client.send(words[index]!));
      for (const [index, client] of clients.entries()) {
        const answer = await client.next(4000);
        if (client.flooded) fail(`Client ${index + 1} sent ${JSON.stringify(words[index])} and was sent more than ${MAX_UNREAD / 1024} KiB that made no line: talk() answers each line with one line.`);
        if (answer === undefined) fail(`Client ${index + 1} sent ${JSON.stringify(words[index])} and got no answer within 4 s${count > 1 ? ' while the other clients were connected' : ''}.`);
        const match = /^(.*) (\d+)$/.exec(answer);
        if (!match || match[1] !== words[index]!.toUpperCase()) fail(`Client ${index + 1} sent ${JSON.stringify(words[index])} and got ${JSON.stringify(answer)}; talk() answers it in upper case, with the pid that answered.`);
        const pid = Number(match[2]);
        if (round === 1) answeredBy.push(pid);
        else if (pid !== answeredBy[index]) fail(`Client ${index + 1} was answered by pid ${answeredBy[index]}, then by pid ${pid}: one process talks to a client for its whole conversation.`);
      }
    }
    for (const [index, pid] of answeredBy.entries()) {
      if (hostOf(pid) === running.pid) fail(`Client ${index + 1} was answered by the server itself (pid ${pid}): give each connection to a worker process of its own.`);
      const other = answeredBy.indexOf(pid);
      if (other !== index) fail(`Clients ${other + 1} and ${index + 1} were answered by the same process, pid ${pid}: one worker per connection.`);
      const row = running.rows().find((each) => each.pid === hostOf(pid));
      if (row && row.bornTo !== running.pid) fail(`Client ${index + 1} was answered by pid ${pid}, which is not a child of the server.`);
    }
    await Promise.all(clients.map((client) => client.close()));
    const gone = await waitUntil(() => liveChildren(running.rows(), running.pid).length === 0, 3000);
    if (!gone) fail(`After every client had hung up, ${liveChildren(running.rows(), running.pid).join(', ')} ${liveChildren(running.rows(), running.pid).length === 1 ? 'was' : 'were'} still running 3 s later: a worker ends once its client has gone (what keeps it alive?).`);

    running.kill('SIGTERM');
    const stopped = await waitUntil(() => running.exited() !== undefined, 3000);
    if (!stopped) running.kill('SIGKILL');
    const result = await running.done;
    if (result.signal === 'SIGTERM') fail("The server was killed by SIGTERM (Node's default action): on SIGTERM, stop listening and let the process end.");
    if (!stopped) fail('The server was still running 3 s after SIGTERM: stop listening, and let the process end.');
    if (result.code !== 0 || result.signal !== null) {
      const said = errorLine(result);
      fail(`After SIGTERM the server exited with code ${result.code}${said ? `: ${said}` : ''}; it should exit with code 0.`);
    }
    const workers = childrenOf(result);
    for (const [index, pid] of answeredBy.entries()) {
      if (!workers.some((worker) => worker.pid === hostOf(pid)) && result.timeline.process(hostOf(pid))) fail(`Client ${index + 1} was answered by pid ${pid}, which is not a child of the server.`);
    }
    childrenCollected(result, workers, 'the server collects every worker.');
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
};
