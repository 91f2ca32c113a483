// `npm run mutate [-- --force]`: StrykerJS over the kernel-decoding core (stryker.config.mjs), then
// one line with the mutation score of the whole run, from its JSON report (the table above it
// gives each file's). Killed and timed-out mutants count as detected; survivors and mutants no
// test reaches count against; ignored ones (each marked `Stryker disable … : reason` in the
// source) and ones that do not compile count neither way.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPORT = '.procbook/mutation.json';
const stryker = join('node_modules', '.bin', 'stryker');
const run = spawnSync(stryker, ['run', 'stryker.config.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

/** @type {{ files: Record<string, { mutants: Array<{ status: string }> }> }} */
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
/** @type {Record<string, number>} */
const count = {};
for (const { mutants } of Object.values(report.files)) for (const { status } of mutants) count[status] = (count[status] ?? 0) + 1;
const n = (/** @type {string} */ status) => count[status] ?? 0;
const detected = n('Killed') + n('Timeout');
const valid = detected + n('Survived') + n('NoCoverage');
const score = valid === 0 ? 0 : (100 * detected) / valid;
console.log(
  `mutation score: ${score.toFixed(2)}% (${detected} of ${valid} mutants detected: ${n('Killed')} killed, ${n('Timeout')} timed out; ` +
    `${n('Survived')} survived, ${n('NoCoverage')} reached by no test; ${n('Ignored')} ignored with a reason)`,
);
