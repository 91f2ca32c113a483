// A terminal for tests: what the live view writes goes into @xterm/headless, the screen model of
// VS Code's terminal, and the test reads back rows and cell colours as a person would see them.
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import type { TerminalOutput } from '../../lib/present/views/live.js';

const { Terminal } = xterm;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export class TestTerminal extends EventEmitter implements TerminalOutput {
  readonly screen: HeadlessTerminal;
  /** Everything written, in order: tests look for escape sequences here. */
  readonly written: string[] = [];

  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
    this.screen = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 1000, convertEol: true });
  }

  write(text: string): boolean {
    this.written.push(text);
    this.screen.write(text);
    return true;
  }

  /** Resizes the screen, then tells the view, in the order a real terminal does. */
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.screen.resize(columns, rows);
    this.emit('resize');
  }

  /** Waits until the screen model has parsed everything written so far. */
  async settled(): Promise<void> {
    await new Promise<void>((resolve) => this.screen.write('', resolve));
  }

  /** The visible rows as text (trailing blanks removed: a view pads its lines with spaces). */
  async text(): Promise<string[]> {
    await this.settled();
    const buffer = this.screen.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.screen.rows; y++) lines.push((buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '').trimEnd());
    return lines;
  }

  /** The cell at column x of visible row y. */
  cell(x: number, y: number): NonNullable<ReturnType<NonNullable<ReturnType<HeadlessTerminal['buffer']['active']['getLine']>>['getCell']>> {
    const buffer = this.screen.buffer.active;
    const cell = buffer.getLine(buffer.viewportY + y)?.getCell(x);
    if (!cell) throw new Error(`no cell at ${x},${y}`);
    return cell;
  }

  dispose(): void {
    this.screen.dispose();
  }
}

/** Polls an (asynchronous) look at the screen until it holds or the deadline passes. */
export async function untilScreen(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The runner started in a real pseudo-terminal (util-linux `script`), drawn into a TestTerminal. */
export interface TerminalRun {
  term: TestTerminal;
  /** Keys as a person types them (raw bytes: '\r' is Enter, '\x1b' Esc, '\x03' Ctrl-C). */
  type(keys: string): void;
  /** Resolves with the exit status once the runner has ended and its last output was read. */
  exited: Promise<number | null>;
  /** Whether it has ended. */
  ended(): boolean;
  /** Ends it (if it is still running) and frees the screen model. */
  dispose(): void;
  /** Waits until some visible row matches. */
  untilRow(pattern: RegExp, timeoutMs: number, what?: string): Promise<string[]>;
}

export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `node <args…>` in a terminal `columns` × `rows` (TERM=xterm-256color). */
export function runInTerminal(args: string[], options: { columns: number; rows: number; env?: NodeJS.ProcessEnv }): TerminalRun {
  const term = new TestTerminal(options.columns, options.rows);
  const quoted = [process.execPath, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `stty cols ${options.columns} rows ${options.rows}; exec ${quoted}`;
  const runner = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm-256color', ...options.env } });
  runner.stdout.on('data', (chunk: Buffer) => term.write(chunk.toString('utf8')));
  let done = false;
  // 'close', not 'exit': the last output (the summary) may still be in the pipe when it exits.
  const exited = new Promise<number | null>((resolve) =>
    runner.once('close', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    term,
    type: (keys) => void runner.stdin.write(keys),
    exited,
    ended: () => done,
    dispose() {
      runner.kill('SIGKILL');
      term.dispose();
    },
    async untilRow(pattern, timeoutMs, what = String(pattern)) {
      let rows: string[] = [];
      await untilScreen(async () => (rows = await term.text()).some((row) => pattern.test(row)), timeoutMs, what);
      return rows;
    },
  };
}
