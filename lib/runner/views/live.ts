// PLACEHOLDER until the live view lands.
import type { View } from './types.js';
import { createPlainView } from './plain.js';
export function createLiveView(options: { stdout: NodeJS.WriteStream }): View {
  return createPlainView({ write: (text) => options.stdout.write(text), color: true, width: options.stdout.columns || 100 });
}
