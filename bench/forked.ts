// A process a lesson forks, as small as it gets: it loads the lesson API (as every lesson
// process does), says it is ready, and exits. bench/startup.ts times its start.
import { role } from '../lib/lesson/index.js';

process.stdout.write(`ready ${role}\n`);
