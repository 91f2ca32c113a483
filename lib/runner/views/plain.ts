// PLACEHOLDER until the table renderer lands: prints the lesson's lines only.
import type { View, ViewState } from './types.js';

export interface PlainViewOptions {
  write: (text: string) => void;
  color: boolean;
  width: number;
}

export function createPlainView(options: PlainViewOptions): View {
  let printed = 0;
  return {
    update(state: ViewState) {
      for (const line of state.output.slice(printed)) options.write(`${line.text}\n`);
      printed = state.output.length;
    },
    close() {},
  };
}
