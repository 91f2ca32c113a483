// Signal numbers and names, from Node's own table for this platform.
import { constants } from 'node:os';

// Some numbers have two names (6 is SIGABRT and SIGIOT, 29 SIGIO and SIGPOLL). Node lists the
// usual name first, which is also the name Node gives a child's 'exit' event: keep that one.
const byNumber = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) if (!byNumber.has(number)) byNumber.set(number, name);

export function signalName(number: number): string {
  return byNumber.get(number) ?? `signal ${number}`;
}

export function signalNumber(name: string): number | undefined {
  return (constants.signals as Record<string, number>)[name];
}
