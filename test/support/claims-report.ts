// `npm run claims`: each lesson's claims, asserted or not, and one closing line.
import { lessonClaims } from './claims.js';

let total = 0;
let asserted = 0;
for (const lesson of lessonClaims()) {
  const lines: string[] = [];
  for (const id of lesson.claims) {
    const ok = !lesson.unasserted.includes(id);
    total++;
    if (ok) asserted++;
    lines.push(`  ${ok ? 'asserted    ' : 'NOT ASSERTED'}  ${id}`);
  }
  for (const id of lesson.unknown) lines.push(`  NO SUCH CLAIM ${id} (asserted by the test, missing from README.md)`);
  for (const id of lesson.zhMismatch) lines.push(`  ZH MISMATCH  ${id} (in one of README.md / README.zh.md only)`);
  process.stdout.write(`${lesson.lesson}: ${lesson.claims.length} claims\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
}
process.stdout.write(`claims: ${asserted} of ${total} asserted\n`);
