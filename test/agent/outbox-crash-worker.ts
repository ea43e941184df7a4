// A headless agent that files tickets through the outbox as fast as it can, for the crash test:
// it prints BEGIN before writing a ticket, WRITTEN once the write is durable, and SENT after the one
// send attempt. The test SIGKILLs it at random moments and starts it again on the same data folder.
import { randomBytes } from 'node:crypto';
import { openHeadlessAgent } from '../../src/main/services/headless-agent';
import { healthySnapshot } from '../fixtures/snapshot-factory';

const [dataDir, prefix] = process.argv.slice(2);
if (!dataDir || !prefix) {
  process.stderr.write('usage: outbox-crash-worker <dataDir> <prefix>\n');
  process.exit(2);
}

const agent = await openHeadlessAgent({ dataDir, version: '0.0.0-crash' });
// What a restarted agent does first: send whatever an earlier run left in the outbox.
await agent.outbox.flush({ all: true });
process.stdout.write('READY\n');
const snapshot = healthySnapshot();
// A PNG signature and incompressible bytes, so writing and sending each take a few milliseconds.
const screenshot = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  randomBytes(192 * 1024),
]).toString('base64');
for (let i = 0; ; i++) {
  const subject = `${prefix}-${process.pid}-${i}`;
  process.stdout.write(`BEGIN ${subject}\n`);
  const item = await agent.outbox.add({
    subject,
    category: 'other',
    urgency: 'low',
    snapshot,
    attachments: [{ kind: 'screenshot', filename: 'screenshot.png', contentType: 'image/png', dataBase64: screenshot }],
  });
  process.stdout.write(`WRITTEN ${subject} ${item.outboxId}\n`);
  const outcome = await agent.outbox.sendNow(item.outboxId);
  process.stdout.write(`SENT ${subject} ${outcome.state}\n`);
}
