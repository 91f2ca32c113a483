// lib/posix/sync.ts and memory.ts: flock, named semaphores, and mmap(MAP_SHARED), on the real kernel.
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createSemaphore, flock, mapShared, openSemaphore, sharedMemoryDir, unlinkSemaphore } from '../lib/posix/index.js';

const linux = process.platform === 'linux';
const dir = mkdtempSync(join(tmpdir(), 'procbook-posix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flock', () => {
  test('two open files of one path conflict; unlock or close releases', () => {
    const path = join(dir, 'lock');
    const first = openSync(path, 'w');
    const second = openSync(path, 'r');
    try {
      expect(flock(first, 'exclusive')).toBe(true);
      expect(flock(second, 'exclusive', { wait: false })).toBe(false);
      expect(flock(second, 'shared', { wait: false })).toBe(false);
      expect(flock(first, 'unlock')).toBe(true);
      expect(flock(second, 'shared', { wait: false })).toBe(true);
      // Shared locks coexist; an exclusive one waits for them.
      expect(flock(first, 'shared', { wait: false })).toBe(true);
      const third = openSync(path, 'r');
      expect(flock(third, 'exclusive', { wait: false })).toBe(false);
      closeSync(first);
      closeSync(second);
      // The last descriptor of each holding open file is closed: the kernel dropped their locks.
      expect(flock(third, 'exclusive', { wait: false })).toBe(true);
      closeSync(third);
    } finally {
      for (const fd of [first, second]) {
        try {
          closeSync(fd);
        } catch {
          // closed above
        }
      }
    }
  });

  test('a bad descriptor is an error, not a false', () => {
    expect(() => flock(987_654, 'exclusive', { wait: false })).toThrow(/flock failed: EBADF/);
  });
});

describe.runIf(linux)('named semaphores', () => {
  const name = `/procbook-test-${process.pid}`;
  afterAll(() => {
    try {
      unlinkSemaphore(name);
    } catch {
      // gone
    }
  });

  test('value N lets N take it; post gives one back; unlink removes the name', () => {
    const sem = createSemaphore(name, 2);
    expect(existsSync(`/dev/shm/sem.${name.slice(1)}`)).toBe(true);
    expect(sem.value()).toBe(2);
    expect(sem.tryWait()).toBe(true);
    expect(sem.tryWait()).toBe(true);
    expect(sem.tryWait()).toBe(false);
    expect(sem.value()).toBe(0);
    // Another open of the same name is the same semaphore.
    const again = openSemaphore(name);
    expect(again.value()).toBe(0);
    sem.post();
    expect(again.value()).toBe(1);
    again.wait(); // a unit is there: returns at once
    expect(sem.value()).toBe(0);
    expect(() => createSemaphore(name, 1)).toThrow(/EEXIST/);
    expect(unlinkSemaphore(name)).toBe(true);
    expect(existsSync(`/dev/shm/sem.${name.slice(1)}`)).toBe(false);
    // Still usable by those who have it open.
    sem.post();
    expect(again.value()).toBe(1);
    expect(unlinkSemaphore(name)).toBe(false);
    sem.close();
    again.close();
    expect(() => sem.post()).toThrow(/closed/);
  });

  test('opening a name nobody created fails; bad names and values are refused', () => {
    expect(() => openSemaphore(`/procbook-test-none-${process.pid}`)).toThrow(/ENOENT/);
    expect(() => createSemaphore('no-slash', 1)).toThrow(RangeError);
    expect(() => createSemaphore('/a/b', 1)).toThrow(RangeError);
    expect(() => createSemaphore(name, -1)).toThrow(RangeError);
  });
});

describe.runIf(linux)('shared memory', () => {
  test('two mappings of one /dev/shm file are the same memory, and the file holds it', () => {
    const path = join(sharedMemoryDir(), `procbook-test-${process.pid}`);
    const fd = openSync(path, 'wx+');
    try {
      ftruncateSync(fd, 4096);
      const one = mapShared(fd, 4096);
      const two = mapShared(fd, 4096);
      const a = new Int32Array(one.buffer);
      const b = new Int32Array(two.buffer);
      expect(one.buffer).not.toBe(two.buffer);
      a[0] = 5000;
      expect(b[0]).toBe(5000);
      expect(Atomics.add(b, 1, 7)).toBe(0);
      expect(a[1]).toBe(7);
      expect(readFileSync(path).readInt32LE(0)).toBe(5000);
      one.unmap();
      one.unmap(); // twice is harmless
      expect(b[0]).toBe(5000);
      two.unmap();
    } finally {
      closeSync(fd);
      unlinkSync(path);
    }
    expect(existsSync(path)).toBe(false);
  });

  test('a descriptor opened read-only cannot be mapped for writing; sizes are checked', () => {
    const path = join(dir, 'readonly');
    closeSync(openSync(path, 'w'));
    const fd = openSync(path, 'r');
    try {
      expect(() => mapShared(fd, 4096)).toThrow(/mmap failed: EACCES/);
      expect(() => mapShared(fd, 0)).toThrow(RangeError);
    } finally {
      closeSync(fd);
    }
  });
});
