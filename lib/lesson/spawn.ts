// Node's own ways to start a program (child_process.spawn, spawnSync, execFileSync), each
// reporting to the runner. They behave exactly as Node's do; in addition each tells the runner
// the new process's pid the moment it is known (so the table looks at once: a tool that runs for
// a millisecond would otherwise start and end between two samples), and how it ended.
// A lesson run alone (no runner) sends nothing: then these are Node's calls and nothing more.
import * as childProcess from 'node:child_process';
import type { ChildProcess, SpawnSyncReturns } from 'node:child_process';
import { send } from './channel.js';

/** The command line as the table shows it. */
function titleOf(command: string, args: readonly string[] | undefined): string {
  return [command, ...(args ?? [])].join(' ');
}

function argsOf(rest: unknown[]): readonly string[] | undefined {
  return Array.isArray(rest[0]) ? (rest[0] as string[]) : undefined;
}

/** Tells the runner about a child Node started: now its pid, later how it ended. */
export function reportChild(child: ChildProcess, title: string): ChildProcess {
  if (child.pid !== undefined) send({ type: 'spawned', pid: child.pid, parent: process.pid, title });
  child.once('exit', (code, signal) => send({ type: 'exit', pid: child.pid ?? 0, code, signal }));
  return child;
}

/** A child that has already ended (a synchronous call returned): when it started, its pid, how it ended. */
function reportEnded(result: SpawnSyncReturns<unknown>, title: string, startedAt: number): void {
  if (!result.pid) return; // it never started (ENOENT)
  send({ type: 'spawned', pid: result.pid, parent: process.pid, title, startedAt });
  send({ type: 'exit', pid: result.pid, code: result.status, signal: result.signal });
}

const monotonic = (): number => Number(process.hrtime.bigint()) / 1e6;

/** child_process.spawn, reported. */
export const spawn = ((command: string, ...rest: unknown[]): ChildProcess => {
  const child = (childProcess.spawn as (...all: unknown[]) => ChildProcess)(command, ...rest);
  return reportChild(child, titleOf(command, argsOf(rest)));
}) as typeof childProcess.spawn;

/** child_process.spawnSync, reported once it returns (this process was blocked until then). */
export const spawnSync = ((command: string, ...rest: unknown[]): SpawnSyncReturns<unknown> => {
  const startedAt = monotonic();
  const result = (childProcess.spawnSync as (...all: unknown[]) => SpawnSyncReturns<unknown>)(command, ...rest);
  reportEnded(result, titleOf(command, argsOf(rest)), startedAt);
  return result;
}) as typeof childProcess.spawnSync;

/**
 * child_process.execFileSync, reported. Node's execFileSync does not give the child's pid, so this
 * is spawnSync with execFileSync's rules: the output is returned; a failure throws, with the
 * status, as Node's does; without `stdio`, the child's stderr goes to ours.
 */
export const execFileSync = ((file: string, ...rest: unknown[]): string | Buffer => {
  const args = argsOf(rest);
  const options = ((Array.isArray(rest[0]) ? rest[1] : rest[0]) ?? {}) as childProcess.ExecFileSyncOptions;
  const result = spawnSync(file, args ?? [], options as childProcess.SpawnSyncOptions);
  if (options.stdio === undefined && result.stderr && result.stderr.length > 0) process.stderr.write(result.stderr);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const error = Object.assign(new Error(`Command failed: ${titleOf(file, args)}`), {
      status: result.status,
      signal: result.signal,
      pid: result.pid,
      stdout: result.stdout,
      stderr: result.stderr,
      output: result.output,
    });
    throw error;
  }
  return result.stdout as string | Buffer;
}) as typeof childProcess.execFileSync;
