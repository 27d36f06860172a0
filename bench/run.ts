/**
 * npm run bench [-- --seconds 20 --concurrency 20 --slice 5 --profile --instances 2]
 *   --seconds S     measured load per target and path
 *   --warmup S      unmeasured load per target and path first (default 5 s, or --seconds if shorter)
 *   --profile       write a V8 CPU profile of the router bot to $TMPDIR/partner-support-router-profiles
 *                   (read it with `tsx bench/profile.ts <file>`)
 *   --instances N   also drive N router instances sharing one blob container on Azurite (scale-out)
 *   --starts N      start-up and idle memory: starts per bot, medians reported (default 3; 0 skips)
 *   --startup-only  only start-up and idle memory
 *
 * Builds the router bot as `npm run build` does and bundles a plain sample waterfall bot and a minimal echo bot,
 * all on the same stack (restify + CloudAdapter), the same way; runs each on plain node and drives them
 * alternately, with N concurrent whole conversations over keep-alive HTTP (deliveryMode expectReplies), on each of
 * two paths to the same result card (bench/conversations.ts PATHS: button clicks, and one typed message); the
 * sample bots get the router bot's messages, turn for turn. Prints a table per path with the ratios to the echo
 * bot; then the state kept per conversation, the routing engine and the understanding alone. First, start-up time
 * and idle memory of the router and echo bots (bench/startup.ts).
 * A benchmark, not a test: nothing here asserts on timings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineResult } from './engine';
import { corpusMessages, type UnderstandingResult } from './understanding';
import { PATHS, ReplayedConversation, ScriptedConversation } from './conversations';
import { emptyStats, percentile, playConversation, runLoad, type Conversation, type LoadStats } from './load';
import { measureStateSize } from './state';
import { benchStartup, buildBots, median, type BuiltBots } from './startup';
import { startAzuriteInstances, startSingle, type BenchTarget } from './targets';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '20' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '20' },
    slice: { type: 'string', default: '5' },
    warmup: { type: 'string' },
    profile: { type: 'boolean', default: false },
    instances: { type: 'string', default: '0' },
    starts: { type: 'string', default: '3' },
    'startup-only': { type: 'boolean', default: false },
  },
});
const seconds = Number(flags.seconds);
const concurrency = Number(flags.concurrency);
const sliceSeconds = Math.min(Number(flags.slice), seconds);
// the router's code paths (templating, recognizers, dialogs) take several seconds of load to reach full speed
const warmupSeconds = Number(flags.warmup ?? Math.min(5, seconds));
const profileDir = flags.profile ? path.join(os.tmpdir(), 'partner-support-router-profiles') : undefined;
const instances = Number(flags.instances);
const starts = Number(flags.starts);
const idleSeconds = 5;
const channelId = 'webchat';

interface Measured {
  target: BenchTarget;
  agent: http.Agent;
  conversation: () => Conversation;
  stats: LoadStats;
  rssBytes: number;
  /** CPU time the target's processes used during the measured slices: cost per turn, whatever else runs. */
  cpuMs: number;
  counters?: Record<string, number>;
}

/** Runs each target for `seconds` in total, in alternating slices, so drift on the machine hits all alike. */
async function driveAlternately(measured: Measured[], runId: string): Promise<void> {
  const load = (entry: Measured, durationMs: number, slice: string, into?: LoadStats) =>
    runLoad(
      {
        messagesUrls: entry.target.messagesUrls,
        concurrency,
        durationMs,
        conversation: entry.conversation,
        channelId,
        runId: `${runId}-${slice}`,
        agent: entry.agent,
      },
      into,
    );
  // JIT and caches warm before anything counts
  for (const entry of measured) await load(entry, warmupSeconds * 1000, 'warmup');
  const slices = Math.ceil(seconds / sliceSeconds);
  for (let slice = 0; slice < slices; slice++) {
    const durationMs = Math.min(sliceSeconds, seconds - slice * sliceSeconds) * 1000;
    for (const entry of measured) {
      const before = await entry.target.usage();
      await load(entry, durationMs, `slice${slice}`, entry.stats);
      const after = await entry.target.usage();
      entry.rssBytes = Math.max(entry.rssBytes, after.rssBytes);
      entry.cpuMs += after.cpuMs - before.cpuMs;
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
  for (const entry of measured) entry.counters = await entry.target.counters?.();
}

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

function row(entry: Measured) {
  const { stats } = entry;
  const secondsRun = stats.elapsedMs / 1000;
  return {
    name: entry.target.name,
    turnsPerSecond: stats.turns / secondsRun,
    conversationsPerSecond: stats.conversations / secondsRun,
    p50: percentile(stats.latenciesMs, 0.5),
    p99: percentile(stats.latenciesMs, 0.99),
    errors: stats.errors,
    rssMb: entry.rssBytes / 1024 / 1024,
    cpuMsPerTurn: entry.cpuMs / Math.max(1, stats.turns),
    turnsPerConversation: stats.finishedTurns / Math.max(1, stats.conversations),
  };
}

/** Start-up and idle memory of both bots; returns the verdicts for the targets line. */
async function startupAndIdleMemory(bots: BuiltBots): Promise<string[]> {
  if (starts <= 0) return [];
  console.log(
    `start-up and idle memory: the builds on plain node, ${starts} starts each, alternating, medians`,
  );
  const [bot, echo] = (await benchStartup(bots, starts, idleSeconds)).map((figures) => ({
    name: figures.name,
    startupMs: median(figures.startupMs),
    idleRssMb: median(figures.idleRssBytes) / 1024 / 1024,
    all: figures.startupMs.map((ms) => fmt(ms)).join(', '),
  }));
  console.log(
    [
      `| target | start-up to first health answer, ms | idle RSS MB (after ${idleSeconds} s) | starts, ms |`,
      '|---|---:|---:|---|',
      ...[bot, echo].map((r) => `| ${r.name} | ${fmt(r.startupMs)} | ${fmt(r.idleRssMb)} | ${r.all} |`),
      `| router bot ÷ echo | ${fmt(bot.startupMs / echo.startupMs, 2)}× (target < 1,500 ms) | ` +
        `**${fmt(bot.idleRssMb / echo.idleRssMb, 2)}×** (≤ 1.5) | |`,
    ].join('\n'),
  );
  return [
    bot.startupMs < 1500 ? 'start-up ok' : 'start-up MISSED',
    bot.idleRssMb <= 1.5 * echo.idleRssMb ? 'idle memory ok' : 'idle memory MISSED',
  ];
}

/** The path's table: every target, then each one's ratios to the echo bot (the last row before them). */
function pathTable(rows: ReturnType<typeof row>[], echo: ReturnType<typeof row>): string {
  return [
    '| target | turns/s | conversations/s | turns/conv | p50 ms | p99 ms | errors | RSS MB | CPU ms/turn |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.turnsPerSecond)} | ${fmt(r.conversationsPerSecond, 1)} | ` +
        `${fmt(r.turnsPerConversation, 1)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.errors} | ${fmt(r.rssMb)} | ` +
        `${fmt(r.cpuMsPerTurn, 2)} |`,
    ),
    ...rows
      .filter((r) => r !== echo)
      .map(
        (r) =>
          `| ${r.name} ÷ echo | **${fmt(r.turnsPerSecond / echo.turnsPerSecond, 2)}×** (≥ 0.75) | ` +
          `${fmt(r.conversationsPerSecond / echo.conversationsPerSecond, 2)}× | | ${fmt(r.p50 / echo.p50, 2)}× | ` +
          `**${fmt(r.p99 / echo.p99, 2)}×** (≤ 1.5) | | **${fmt(r.rssMb / echo.rssMb, 2)}×** (≤ 1.5) | ` +
          `${fmt(r.cpuMsPerTurn / echo.cpuMsPerTurn, 1)}× |`,
      ),
  ].join('\n');
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'partner-support-router-bench-'));
  try {
    await benchBuilt(await buildBots(dir), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (profileDir)
    console.log(`router CPU profile in ${profileDir}: tsx bench/profile.ts ${profileDir}/<file>`);
}

/** The routing engine and the understanding alone, from the build (bench/alone.ts), in a process of their own. */
function engineAndUnderstanding(bots: BuiltBots, dir: string) {
  const messagesFile = path.join(dir, 'messages.json');
  writeFileSync(messagesFile, JSON.stringify(corpusMessages()));
  const output = execFileSync(process.execPath, [bots.alone, messagesFile], { encoding: 'utf8' });
  return JSON.parse(output) as { engine: EngineResult; understanding: UnderstandingResult };
}

async function benchBuilt(bots: BuiltBots, dir: string) {
  const loadAtStart = os.loadavg()[0];
  const startupVerdict = await startupAndIdleMemory(bots);
  if (flags['startup-only']) {
    console.log(
      `targets (router bot): ${startupVerdict.join(', ')}; 1-minute load average ${loadAtStart.toFixed(2)}`,
    );
    return;
  }
  console.log(
    `bench: per path, ${seconds} s per target in ${sliceSeconds} s slices after a ${warmupSeconds} s warm-up, ` +
      `${concurrency} concurrent conversations, channel ${channelId}, deliveryMode expectReplies`,
  );
  // other work on the machine lowers every bot's figures alike, but not their ratio as much: say it
  const loadBefore = os.loadavg()[0];
  const router = await startSingle('router bot', { script: bots.router, cpuProfileDir: profileDir });
  const waterfall = await startSingle('sample waterfall bot', { script: bots.waterfall });
  const echo = await startSingle('echo bot', { script: bots.echo });
  const cluster = instances >= 2 ? await startAzuriteInstances(instances) : undefined;
  const targets = [router, waterfall, echo, ...(cluster ? [cluster] : [])];
  // one keep-alive pool per target for the whole run, as a channel keeps its connections to a bot
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency }));
  const verdict = [...startupVerdict];
  try {
    for (const [pathIndex, { name, script }] of PATHS.entries()) {
      // the path once, to check it reaches its card and to record what the partner sends, turn by turn
      const recording = new ScriptedConversation(script);
      const ids = { conversationId: `record-${pathIndex}`, userId: `record-${pathIndex}` };
      await playConversation(router.messagesUrls[0], recording, ids, channelId);
      const recorded = new ReplayedConversation(recording.locale, recording.sent);
      const measured: Measured[] = targets.map((target, index) => ({
        target,
        agent: agents[index],
        // the router bots check every reply; the sample bots get the same messages, turn for turn
        conversation:
          target === router || target === cluster
            ? () => new ScriptedConversation(script)
            : () => recorded.fresh(),
        stats: emptyStats(),
        rssBytes: 0,
        cpuMs: 0,
      }));
      console.log(`\npath ${pathIndex + 1}, ${name}:`);
      await driveAlternately(measured, `path${pathIndex}`);
      const rows = measured.map(row);
      const [bot, , ceiling] = rows;
      console.log(pathTable(rows, ceiling));
      for (const entry of measured) {
        if (entry.stats.errorSamples.length)
          console.log(`${entry.target.name} errors:`, entry.stats.errorSamples);
        if (entry.counters) console.log(`${entry.target.name} counters:`, entry.counters);
      }
      const short = `path ${pathIndex + 1}`;
      verdict.push(
        bot.turnsPerSecond >= 0.75 * ceiling.turnsPerSecond
          ? `${short} turns/s ok`
          : `${short} turns/s MISSED`,
        bot.p99 <= 1.5 * ceiling.p99 ? `${short} p99 ok` : `${short} p99 MISSED`,
        bot.rssMb <= 1.5 * ceiling.rssMb ? `${short} RSS ok` : `${short} RSS MISSED`,
        bot.errors === 0 ? `${short} errors ok` : `${short} errors MISSED`,
      );
    }
    const state = await measureStateSize();
    console.log(
      `\nstate: ${fmt(state.bytesPerConversation)} B per finished conversation (largest ${fmt(state.largestBytes)} B, ` +
        `mid-conversation peak ${fmt(state.peakBytes)} B) over ${state.conversations} conversations (target < 4,096 B); ` +
        `by property: ${Object.entries(state.parts)
          .map(([property, bytes]) => `${property} ${fmt(bytes)} B`)
          .join(', ')}`,
    );
    const { engine, understanding: understood } = engineAndUnderstanding(bots, dir);
    console.log(
      `routing engine alone: ${fmt(engine.routesPerSecond)} routes/s (route(answers, lang, knowledge) over all ` +
        `${fmt(engine.combinations)} answer combinations, ja and en; ${JSON.stringify(engine.outcomes)})`,
    );
    console.log(
      `understanding alone: median ${fmt(understood.medianMicros)} µs, p95 ${fmt(understood.p95Micros)} µs per message ` +
        `(interpret() over ${fmt(understood.messages)} corpus messages, ${fmt(understood.calls)} calls)`,
    );
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `machine: ${cpu}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GB RAM, ` +
        `Node ${process.version}, ${os.type()} ${os.release()}; the load generator and the bots share the cores; ` +
        `1-minute load average ${loadBefore.toFixed(2)} before the run, ${os.loadavg()[0].toFixed(2)} after`,
    );
    verdict.push(
      state.bytesPerConversation < 4096 ? 'state ok' : 'state MISSED',
      understood.medianMicros < 200 ? 'understanding ok' : 'understanding MISSED',
    );
    console.log(`targets (router bot, ${concurrency} concurrent): ${verdict.join(', ')}`);
  } finally {
    for (const agent of agents) agent.destroy();
    await Promise.all(targets.map((target) => target.stop()));
  }
}

await main();
