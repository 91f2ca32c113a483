// Signal numbers and names, from Node's own table for this platform.
import { constants } from 'node:os';

const byNumber = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

export function signalName(number: number): string {
  return byNumber.get(number) ?? `signal ${number}`;
}

export function signalNumber(name: string): number | undefined {
  return (constants.signals as Record<string, number>)[name];
}
