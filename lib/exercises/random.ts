// Every random input of a check comes from one seeded generator, so that a run can be repeated
// exactly: `npm run check -- 6 --seed 1234` gives exercise 6 the very inputs it had when a
// failure printed "(seed 1234)". Each check gets its own generator, seeded with the run's seed
// (or a fresh one): what one check draws never depends on which other checks ran beside it.
//
// mulberry32: a small, fast 32-bit generator (Tommy Ettinger's), good enough for test inputs and
// the same on every machine. Not for secrets.
import { randomInt } from 'node:crypto';

/** The largest seed `--seed` takes (seeds are 32-bit). */
export const MAX_SEED = 0xffff_ffff;

/** A fresh seed for a run that was given none. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31);
}

/** A 32-bit hash of a text (FNV-1a), to derive a generator for a part of a check. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (const char of text) {
    value ^= char.codePointAt(0)!;
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max), as crypto.randomInt(min, max); int(max) is [0, max). */
  int(min: number, max?: number): number {
    const [low, high] = max === undefined ? [0, min] : [min, max];
    if (!(high > low)) throw new RangeError(`Random.int: empty range [${low}, ${high})`);
    return low + Math.floor(this.next() * (high - low));
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** The items in a random order (the array itself, shuffled in place). */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(index + 1);
      [items[index], items[other]] = [items[other]!, items[index]!];
    }
    return items;
  }

  /** `count` random bytes. */
  bytes(count: number): Buffer {
    const bytes = Buffer.alloc(count);
    for (let index = 0; index < count; index += 4) {
      const word = Math.floor(this.next() * 4294967296);
      for (let shift = 0; shift < 4 && index + shift < count; shift++) bytes[index + shift] = (word >>> (shift * 8)) & 0xff;
    }
    return bytes;
  }

  /** `count` random bytes as hex text (2 characters a byte). */
  hex(count: number): string {
    return this.bytes(count).toString('hex');
  }

  /**
   * A generator of its own for one part of a check (two parts that run at the same time would
   * otherwise draw in an order that depends on timing). The same label gives the same generator.
   */
  fork(label: string): Random {
    return new Random((this.seed ^ hash(label)) >>> 0);
  }
}
