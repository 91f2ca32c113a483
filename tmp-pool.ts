import { spawn } from 'node:child_process';
import { ConnectorReader } from './lib/proc/connector.js';
const N = Number(process.argv[2] ?? 6);
const delays: number[][] = Array.from({ length: N }, () => []);
const readers = Array.from({ length: N }, (_, i) => ConnectorReader.open((events) => {
  const now = Number(process.hrtime.bigint()) / 1e6;
  for (const e of events) if (e.kind === 'fork' && e.parent === process.pid) delays[i]!.push(now - e.t);
}));
for (let k = 0; k < 20; k++) {
  const c = spawn('true');
  await new Promise((r) => c.once('exit', r));
  await new Promise((r) => setTimeout(r, 30 + Math.random() * 50));
}
await new Promise((r) => setTimeout(r, 300));
for (const r of readers) r?.close();
const all = delays.flat().sort((a, b) => a - b);
console.log(`${N} readers: delivery delay median ${all[all.length >> 1]!.toFixed(1)} ms, p90 ${all[Math.floor(all.length * 0.9)]!.toFixed(1)}, max ${all.at(-1)!.toFixed(1)}; per reader max ${delays.map((d) => Math.max(...d).toFixed(0)).join(' ')}`);
