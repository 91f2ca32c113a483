// Splits a stream of bytes into lines (a line may arrive in pieces, or many in one chunk).
import { StringDecoder } from 'node:string_decoder';

export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    push(chunk) {
      pending += decoder.write(chunk);
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline).replace(/\r$/, ''));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    flush() {
      pending += decoder.end();
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
