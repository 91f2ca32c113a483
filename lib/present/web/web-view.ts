// The projector view (`--web`): a View that draws nothing itself but pushes each picture to the
// pages open on the runner's local server, as Server-Sent Events. It runs beside the terminal
// view, fed by the same observer samples.
//
// A page that connects gets the whole picture at once (so it can be opened mid-lesson or
// reloaded); after that each push carries the picture plus only the output lines that page does
// not have yet. When the run ends the page gets the final picture and an 'end' event, closes its
// stream, and the server shuts; a page that does not leave within a second is cut off, so
// nothing of the run outlives it.
import type { TimelineData } from '../../observe/timeline.js';
import type { View, ViewState } from '../views/types.js';
import { loadPageAssets } from './assets.js';
import type { Choice } from '../answers.js';
import { Room } from './room.js';
import { startPageServer, type PageClient, type PageServer } from './server.js';
import { pageLines, pageSnapshot, type PageSnapshot } from './snapshot.js';

export interface WebViewOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** The address to listen on (--web-host); 127.0.0.1 by default. */
  host?: string;
  /**
   * The least time between two pushes. A sample every 200 ms and every output line ask for one;
   * 50 ms keeps the page as fresh as the terminal (which draws every 40 ms) without
   * re-rendering the chart for each line of a chatty lesson.
   */
  minPushMs?: number;
  /** How long the final picture waits for pages to take it and leave. */
  closeWaitMs?: number;
}

/** Predict mode's side of the page: the room's answers (see room.ts). */
export interface RoomHooks {
  /** A question is open: every student's page offers its choices. */
  ask(number: number, prompt: string, choices: readonly Choice[]): void;
  /** The terminal answered: the room's answers are closed; their counts by value. */
  close(number: number, teacher: string | undefined): Record<string, number>;
  /** What the table showed. */
  reveal(number: number, actual: string): void;
}

export interface WebView extends View {
  /** The link on this machine, without the teacher token: http://127.0.0.1:PORT/ */
  readonly url: string;
  /** The teacher's link (with the token). */
  readonly teacherUrl: string;
  /** The address it listens on, and its port. */
  readonly host: string;
  readonly port: number;
  readonly room: RoomHooks;
  /** Resolves once a first page has connected. */
  readonly firstPage: Promise<void>;
  /** Resolves once the server has shut (after close()). */
  readonly closed: Promise<void>;
}

const EVENTS_PATH = '/events';

export async function createWebView(options: WebViewOptions = {}): Promise<WebView> {
  const minPushMs = options.minPushMs ?? 50;
  const closeWaitMs = options.closeWaitMs ?? 1000;
  let latest: ViewState | undefined;
  let final: { snapshot: PageSnapshot; output: ViewState['output'] } | undefined;
  let pendingSince: number | undefined;
  let lastPushAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let closedPromise: Promise<void> | undefined;
  let server: PageServer | undefined;
  let firstPageArrived: () => void = () => undefined;
  const firstPage = new Promise<void>((resolve) => (firstPageArrived = resolve));

  const room = new Room();
  let roomTimer: NodeJS.Timeout | undefined;

  /**
   * The picture for some pages: the shared part, and the output lines they have not got yet. Pages
   * that have the same lines get the same text, made once (a room of 60 pages costs one JSON).
   */
  const sendPicture = (clients: readonly PageClient[], snapshot: PageSnapshot, output: ViewState['output']): void => {
    const made = new Map<number, string>();
    for (const client of clients) {
      const from = Math.min(client.linesSent, output.length);
      let text = made.get(from);
      if (text === undefined) {
        text = JSON.stringify({ ...snapshot, output: { from, lines: pageLines(output, from) } });
        made.set(from, text);
      }
      client.linesSent = output.length;
      client.send('state', text);
    }
  };

  const sendRoom = (clients: readonly PageClient[]): void => {
    for (const client of clients) {
      const view = room.viewFor(client);
      if (view) client.send('room', JSON.stringify(view));
    }
  };

  const push = (): void => {
    timer = undefined;
    if (!latest || !server || final) return;
    const snapshot = pageSnapshot(latest, { final: false, sampledAt: pendingSince ?? Date.now() });
    pendingSince = undefined;
    lastPushAt = Date.now();
    sendPicture(server.clients(), snapshot, latest.output);
  };

  server = await startPageServer({
    port: options.port ?? 0,
    ...(options.host ? { host: options.host } : {}),
    assets: loadPageAssets(),
    eventsPath: EVENTS_PATH,
    onAnswer(voter, body) {
      const { question, answer } = (typeof body === 'object' && body !== null ? body : {}) as { question?: unknown; answer?: unknown };
      if (room.vote(voter, question, answer) !== 'taken') return false;
      const clients = server!.clients();
      // The student's own pages at once; the teacher's histogram at most every 100 ms.
      sendRoom(clients.filter((client) => client.voter === voter && !client.teacher));
      roomTimer ??= setTimeout(() => {
        roomTimer = undefined;
        sendRoom(server!.clients().filter((client) => client.teacher));
      }, 100);
      return true;
    },
    onConnect(client) {
      firstPageArrived();
      sendRoom([client]);
      if (final) {
        // The run is over but the server not yet shut: this page gets the last picture.
        sendPicture([client], final.snapshot, final.output);
        client.send('end', '{}');
      } else if (latest) {
        sendPicture([client], pageSnapshot(latest, { final: false, sampledAt: Date.now() }), latest.output);
      }
    },
  });
  const pageServer = server;

  return {
    url: pageServer.url,
    teacherUrl: pageServer.teacherUrl,
    host: pageServer.host,
    port: pageServer.port,
    room: {
      ask(number, prompt, choices) {
        room.ask(number, prompt, choices);
        sendRoom(pageServer.clients());
      },
      close(number, teacher) {
        const counts = room.close(number, teacher);
        clearTimeout(roomTimer);
        roomTimer = undefined;
        sendRoom(pageServer.clients());
        return counts;
      },
      reveal(number, actual) {
        room.reveal(number, actual);
        sendRoom(pageServer.clients());
      },
    },
    firstPage,
    get closed() {
      return closedPromise ?? Promise.resolve();
    },
    update(state: ViewState) {
      latest = state;
      if (final) return;
      pendingSince ??= Date.now();
      if (timer) return;
      const wait = lastPushAt + minPushMs - Date.now();
      if (wait <= 0) push();
      else timer = setTimeout(push, wait);
    },
    close(timeline: TimelineData) {
      if (closedPromise) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      clearTimeout(roomTimer);
      roomTimer = undefined;
      if (latest) {
        // The final picture: every ending told, every line printed (the runner flushes the pipes
        // at the very end, so the timeline may hold lines the last update did not).
        const snapshot = pageSnapshot({ ...latest, output: timeline.output }, { final: true, sampledAt: Date.now(), timeline });
        final = { snapshot, output: timeline.output };
        const clients = pageServer.clients();
        sendPicture(clients, snapshot, timeline.output);
        for (const client of clients) client.send('end', '{}');
      }
      closedPromise = pageServer.close(closeWaitMs);
    },
  };
}
