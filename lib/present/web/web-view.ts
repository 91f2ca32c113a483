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
import { startPageServer, type PageClient, type PageServer } from './server.js';
import { pageLines, pageSnapshot, type PageSnapshot } from './snapshot.js';

export interface WebViewOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /**
   * The least time between two pushes. A sample every 200 ms and every output line ask for one;
   * 50 ms keeps the page as fresh as the terminal (which draws every 40 ms) without
   * re-rendering the chart for each line of a chatty lesson.
   */
  minPushMs?: number;
  /** How long the final picture waits for pages to take it and leave. */
  closeWaitMs?: number;
}

export interface WebView extends View {
  /** The link to print: http://127.0.0.1:PORT/ */
  readonly url: string;
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

  /** The picture for one page: the shared part, and the output lines it has not got yet. */
  const sendPicture = (client: PageClient, snapshot: PageSnapshot, output: ViewState['output']): void => {
    const from = Math.min(client.linesSent, output.length);
    const lines = pageLines(output, from);
    client.linesSent = output.length;
    client.send('state', JSON.stringify({ ...snapshot, output: { from, lines } }));
  };

  const push = (): void => {
    timer = undefined;
    if (!latest || !server || final) return;
    const snapshot = pageSnapshot(latest, { final: false, sampledAt: pendingSince ?? Date.now() });
    pendingSince = undefined;
    lastPushAt = Date.now();
    for (const client of server.clients()) sendPicture(client, snapshot, latest.output);
  };

  server = await startPageServer({
    port: options.port ?? 0,
    assets: loadPageAssets(),
    eventsPath: EVENTS_PATH,
    onConnect(client) {
      firstPageArrived();
      if (final) {
        // The run is over but the server not yet shut: this page gets the last picture.
        sendPicture(client, final.snapshot, final.output);
        client.send('end', '{}');
      } else if (latest) {
        sendPicture(client, pageSnapshot(latest, { final: false, sampledAt: Date.now() }), latest.output);
      }
    },
  });
  const pageServer = server;

  return {
    url: pageServer.url,
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
      if (latest) {
        // The final picture: every ending told, every line printed (the runner flushes the pipes
        // at the very end, so the timeline may hold lines the last update did not).
        const snapshot = pageSnapshot({ ...latest, output: timeline.output }, { final: true, sampledAt: Date.now(), timeline });
        final = { snapshot, output: timeline.output };
        for (const client of pageServer.clients()) {
          sendPicture(client, snapshot, timeline.output);
          client.send('end', '{}');
        }
      }
      closedPromise = pageServer.close(closeWaitMs);
    },
  };
}
