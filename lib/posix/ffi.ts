// The one door to the C library: koffi (a foreign-function interface) loads libc and lets
// JavaScript call its functions. Everything in lib/posix goes through here.
import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');
type KoffiFunction = (...args: unknown[]) => number;

let koffi: Koffi | undefined;
let libc: { func(signature: string): KoffiFunction } | undefined;
let loadError: string | undefined;

function load(): { func(signature: string): KoffiFunction } | undefined {
  if (libc || loadError) return libc;
  try {
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
    const name = process.platform === 'darwin' ? 'libSystem.B.dylib' : process.platform === 'linux' ? 'libc.so.6' : '';
    if (!name) throw new Error(`no C library known for ${process.platform}`);
    libc = koffi.load(name) as unknown as { func(signature: string): KoffiFunction };
  } catch (error) {
    loadError = `the C library could not be loaded through koffi (${(error as Error).message})`;
  }
  return libc;
}

/**
 * koffi itself, for what a C signature alone cannot do: errno after a call, a view of C memory
 * (koffi.view). Undefined where the C library could not be loaded.
 */
export function koffiModule(): Koffi | undefined {
  return load() ? koffi : undefined;
}

const cache = new Map<string, KoffiFunction | undefined>();
export function cfunc(signature: string): KoffiFunction | undefined {
  if (!cache.has(signature)) {
    let fn: KoffiFunction | undefined;
    try {
      fn = load()?.func(signature);
    } catch {
      fn = undefined;
    }
    cache.set(signature, fn);
  }
  return cache.get(signature);
}

export class PosixUnavailable extends Error {}

export function need(fn: KoffiFunction | undefined, what: string): KoffiFunction {
  if (!fn) throw new PosixUnavailable(`${what} is not available on ${process.platform}${loadError ? `: ${loadError}` : ''}.`);
  return fn;
}

