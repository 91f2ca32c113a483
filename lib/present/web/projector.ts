// `--web [--web-port N] [--web-host ADDR]`: start the projector page before the lesson and tell
// the teacher where it is, in lines they can click: their own page (its link carries the teacher
// token: the histogram of the room's answers shows there), and, when the page listens on an
// address other machines can reach, the links for the room.
//
// In the live terminal view the links would vanish behind the full-screen table, and a class
// should see the tree from the lesson's first process: so there the lesson waits until a page
// is open (or Enter is pressed). In plain mode (a pipe, CI, a test) it starts at once.
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { UserError } from '../../words/user-error.js';
import { pageWords } from '../../words/page.js';
import { linkTo } from './server.js';
import { createWebView, type WebView } from './web-view.js';

export interface ProjectorOptions {
  /** The --web-port value, if given. */
  port: string | undefined;
  /** The --web-host value, if given. */
  host?: string | undefined;
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

/** The --web-host value: an IP address (an IPv6 one may come in brackets). The default is 127.0.0.1. */
export function parseHost(text: string | undefined): string {
  if (text === undefined) return '127.0.0.1';
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0) throw new UserError(pageWords().terminal.webHostInvalid(text));
  return host;
}

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1). */
export function isLoopback(host: string): boolean {
  return host === '::1' || /^127\./.test(host) || /^::ffff:127\./i.test(host);
}

/**
 * The addresses the room opens the page at: the one it listens on, or, for 0.0.0.0 (::), every
 * address of this machine that another machine can reach (not loopback, not IPv6 link-local).
 */
export function roomAddresses(host: string, interfaces = networkInterfaces()): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const found: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const each of list ?? []) {
      if (each.internal || isLoopback(each.address)) continue;
      if (each.family === 'IPv6' && (host === '0.0.0.0' || /^fe80:/i.test(each.address))) continue;
      found.push(each.address);
    }
  }
  return found;
}

/** The lines the terminal prints about the page. */
export function projectorLines(web: Pick<WebView, 'host' | 'port' | 'teacherUrl'>, roomAsked: boolean, waiting: boolean, interfaces = networkInterfaces()): string[] {
  const said = pageWords().terminal;
  if (!roomAsked) return [waiting ? said.projectorWaiting(web.teacherUrl) : said.projector(web.teacherUrl)];
  const lines = [waiting ? said.projectorWaiting(web.teacherUrl) : said.teacherPage(web.teacherUrl)];
  const addresses = roomAddresses(web.host, interfaces);
  if (addresses.length === 0) lines.push(said.noRoomAddress);
  for (const address of addresses) lines.push(said.roomPage(linkTo(address, web.port)));
  return lines;
}

export async function openProjector(options: ProjectorOptions): Promise<WebView> {
  const port = parsePort(options.port);
  const host = parseHost(options.host);
  const web = await createWebView({ port, host });
  const lines = projectorLines(web, options.host !== undefined, options.waitForPage);
  options.write(`${lines.join('\n')}\n`);
  if (!options.waitForPage) return web;
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
