// `npm start`: builds Deskside and gives a first look at this computer through the headless agent.
// (The help-desk server and the tray agent join this command as they land.)
import { spawnSync } from 'node:child_process';

const node = process.execPath;
const step = (args) => spawnSync(node, args, { stdio: 'inherit' }).status ?? 2;

if (step(['scripts/build.mjs']) !== 0) process.exit(2);
if (step(['bin/deskside.js', 'snapshot']) > 1) process.exit(2);
console.log('');
// Exit code 1 from `check` means "something needs attention": that is a result, not a failure.
process.exit(step(['bin/deskside.js', 'check']) > 1 ? 2 : 0);
