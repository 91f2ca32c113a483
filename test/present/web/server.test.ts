// The projector page's server without a browser: what goes over the event stream, that it
// closes with the run on every path, and the mistakes a user can make with --web.
import { spawnSync } from 'node:child_process';
import { get, request, type IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runLesson, runnerCli } from '../../support/run-lesson.js';
import { projectorLink } from '../../support/browser.js';

interface StreamedEvent {
  event: string;
  data: string;
}

/** Listens to the page's event stream as a browser's EventSource would, until the server ends it. */
function listen(url: string): { events: StreamedEvent[]; ended: Promise<void> } {
  const events: StreamedEvent[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    get(`${url}events`, (response: IncomingMessage) => {
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      });
      response.on('close', () => resolve());
    }).on('error', reject);
  });
  return { events, ended };
}

function refused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, (response) => {
      response.resume();
      resolve(false);
    }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

function oneSentence(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^procbook: .+\.$/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('the event stream of a --web run', () => {
  test('pictures of the live tree, then the final one and an end; then the port is closed', async () => {
    let stream: ReturnType<typeof listen> | undefined;
    let link: string | undefined;
    let foreignHost: number | undefined;
    const run = await runLesson('zombie', {
      pace: 0.3,
      args: ['--web'],
      onStart: (runner) =>
        void projectorLink(runner).then((url) => {
          link = url;
          stream = listen(url);
          // Asked for by another name (a DNS name rebound to 127.0.0.1): refused.
          const { port } = new URL(url);
          request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (response) => {
            foreignHost = response.statusCode;
            response.resume();
          }).end();
        }),
    });
    expect(run.code).toBe(0);
    await stream!.ended;
    const { events } = stream!;
    expect(events.at(-1)?.event).toBe('end');
    const pictures = events.filter((each) => each.event === 'state').map((each) => JSON.parse(each.data) as {
      status: { kind: string };
      nodes: Array<{ pid: number; stat: string; kind: string }>;
      output: { from: number; lines: unknown[] };
    });
    const child = run.timeline.fact<number>('child.pid')!;
    // The zombie went over the wire as the kernel showed it.
    expect(pictures.some((picture) => picture.nodes.some((node) => node.pid === child && node.stat.startsWith('Z')))).toBe(true);
    expect(pictures.at(-1)!.status.kind).toBe('finished');
    // The output arrives once, in order: each push carries only the lines not sent yet.
    const received = pictures.reduce((count, picture) => {
      expect(picture.output.from).toBe(count);
      return count + picture.output.lines.length;
    }, 0);
    expect(received).toBe(run.timeline.data.output.length);
    expect(foreignHost).toBe(403);
    expect(await refused(link!)).toBe(true);
  });

  test('Ctrl-C during the run: the page still gets an end, and the port is closed', async () => {
    let stream: ReturnType<typeof listen> | undefined;
    let link: string | undefined;
    const run = await runLesson('zombie', {
      pace: 0.3,
      args: ['--web'],
      interruptAfter: '── 2.',
      onStart: (runner) =>
        void projectorLink(runner).then((url) => {
          link = url;
          stream = listen(url);
        }),
    });
    expect(run.code).toBe(130);
    await stream!.ended;
    expect(stream!.events.at(-1)?.event).toBe('end');
    expect(await refused(link!)).toBe(true);
  });
});

describe('--web mistakes', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  const cli = (...args: string[]) => spawnSync(process.execPath, [runnerCli, ...args], { encoding: 'utf8', env: { ...process.env }, input: '' });

  test('a port in use: one sentence, exit 2, the lesson not run', () => {
    const result = cli('lesson', 'zombie', '--plain', '--web', '--web-port', String(port));
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
    expect(result.stderr).toContain(`port ${port} is in use`);
    expect(result.stdout).toBe('');
  });

  test('a port that is not a number', () => {
    const result = cli('lesson', 'zombie', '--plain', '--web-port', 'eighty');
    expect(result.status).toBe(2);
    oneSentence(result.stderr);
  });
});
