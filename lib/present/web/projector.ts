// `--web [--web-port N]`: start the projector page before the lesson and tell the teacher where
// it is, in one line they can click.
//
// In the live terminal view the link would vanish behind the full-screen table, and a class
// should see the tree from the lesson's first process: so there the lesson waits until the page
// is open (or Enter is pressed). In plain mode (a pipe, CI, a test) it starts at once.
import { UserError } from '../../words/user-error.js';
import { pageWords } from '../../words/page.js';
import { createWebView, type WebView } from './web-view.js';

export interface ProjectorOptions {
  /** The --web-port value, if given. */
  port: string | undefined;
  /** The live terminal view is on: wait for the page (or Enter) before the lesson starts. */
  waitForPage: boolean;
  write(text: string): void;
}

export function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new UserError(pageWords().terminal.webPortRange(text));
  return port;
}

export async function openProjector(options: ProjectorOptions): Promise<WebView> {
  const web = await createWebView({ port: parsePort(options.port) });
  const said = pageWords().terminal;
  if (!options.waitForPage) {
    options.write(`${said.projector(web.url)}\n`);
    return web;
  }
  options.write(`${said.projectorWaiting(web.url)}\n`);
  const stdin = process.stdin;
  let onData: () => void = () => undefined;
  const enter = new Promise<void>((resolve) => {
    onData = resolve;
    stdin.once('data', onData);
    stdin.resume();
  });
  await Promise.race([web.firstPage, enter]);
  stdin.off('data', onData);
  stdin.pause();
  return web;
}
