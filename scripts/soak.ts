/**
 * `npm run soak`: a bounded soak of the in-memory bot. Starts the bot as `npm start` builds it (memory state,
 * default limits unless MEMORY_STATE_* are set), drives N one-message conversations over HTTP (expectReplies,
 * loopback only, C at a time), and prints retained heap (after a full GC) and RSS at intervals, so memory can be
 * seen to level off once the state limit is reached. Options: --conversations 100000 --concurrency 16
 * --every 10000 --seconds 1800 (whichever bound comes first ends the run).
 */
import { parseArgs } from 'node:util';
import { limitHeapGrowth, startBot } from '../src/index';
import { createLogger } from '../src/logger';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '16' },
    every: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '1800' },
  },
});
const total = Number(values.conversations);
const concurrency = Number(values.concurrency);
const every = Number(values.every);
const deadline = Date.now() + Number(values.seconds) * 1000;

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) console.warn('run with node --expose-gc (npm run soak does) to see retained heap, not garbage');

// the bot's process as `npm start` runs it
limitHeapGrowth();
const bot = await startBot({
  env: { ...process.env, PORT: '0' },
  log: createLogger({ level: 'silent' }),
  port: 0,
  host: '127.0.0.1',
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
function sample(done: number, started: number): void {
  collect?.();
  const { heapUsed, rss } = process.memoryUsage();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${String(done).padStart(7)} conversations  heap ${mb(heapUsed).padStart(6)} MB  rss ${mb(rss).padStart(6)} MB` +
      `  ${(done / seconds).toFixed(0)} conv/s`,
  );
}

let started = Date.now();
let next = 0;
let done = 0;
let failed = 0;
async function worker(): Promise<void> {
  while (next < total && Date.now() < deadline) {
    const n = next++;
    const response = await fetch(bot.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        channelId: 'webchat',
        serviceUrl: 'http://127.0.0.1/',
        deliveryMode: 'expectReplies',
        locale: n % 2 ? 'ja-JP' : 'en-US',
        conversation: { id: `soak-${n}` },
        from: { id: `user-${n}` },
        recipient: { id: 'bot' },
        text: n % 2 ? 'オンプレミスの SQL Server' : 'Azure',
      }),
    });
    await response.arrayBuffer();
    if (!response.ok) failed++;
    if (++done % every === 0) sample(done, started);
  }
}

console.log(`soak: ${total} conversations, ${concurrency} at a time, node ${process.version}`);
sample(0, started);
started = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
if (done % every !== 0) sample(done, started);
console.log(`${done} conversations in ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed} failed`);
await bot.close();
process.exit(failed ? 1 : 0);
