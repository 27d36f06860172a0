/**
 * The bots as production runs them (the build, `node dist/index.js`; the sample bots bundled the same way), and the
 * start-up and idle memory of the router bot beside the echo bot: time from spawning `node` to the first 200 from GET /healthz, and resident memory after a
 * few idle seconds. Several starts, alternating, medians reported.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, bundle } from '../scripts/build.mjs';
import { freePort, repoRoot } from './targets';

export interface StartupFigures {
  name: string;
  /** Spawn to the first health answer, per start. */
  startupMs: number[];
  /** Resident memory after `idleSeconds` without requests, per start. */
  idleRssBytes: number[];
}

/** Resident memory of a process, from /proc on Linux (what the kernel charges it); else its own report. */
async function rssOf(pid: number, healthUrl: string): Promise<number> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    if (Number.isFinite(kilobytes)) return kilobytes * 1024;
  } catch {
    // not Linux
  }
  const body = (await (await fetch(healthUrl)).json()) as { rssBytes?: number };
  return body.rssBytes ?? NaN;
}

async function startOnce(
  script: string,
  idleSeconds: number,
): Promise<{ startupMs: number; idleRssBytes: number }> {
  const port = await freePort();
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  const started = performance.now();
  const child = spawn(process.execPath, [script], {
    cwd: path.dirname(script),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      try {
        if ((await fetch(healthUrl)).ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error(`${script} did not answer in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const startupMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    return { startupMs, idleRssBytes: await rssOf(child.pid!, healthUrl) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** The three bots as production runs them: the router bot's build, and each sample bot bundled the same way. */
export interface BuiltBots {
  router: string;
  waterfall: string;
  echo: string;
  /** The engine and understanding alone (bench/alone.ts), beside the router bot's data. */
  alone: string;
}

/** Builds the router bot into `dir` (as `npm run build` does) and bundles the sample bots (and bench/alone.ts). */
export async function buildBots(dir: string): Promise<BuiltBots> {
  await build(path.join(dir, 'bot'));
  await bundle({ alone: path.join(repoRoot, 'bench/alone.ts') }, path.join(dir, 'bot'));
  const samples = path.join(dir, 'samples');
  await bundle(
    {
      'echo-bot': path.join(repoRoot, 'bench/echo-bot.ts'),
      'waterfall-bot': path.join(repoRoot, 'bench/waterfall-bot.ts'),
    },
    samples,
  );
  return {
    router: path.join(dir, 'bot', 'index.js'),
    waterfall: path.join(samples, 'waterfall-bot.js'),
    echo: path.join(samples, 'echo-bot.js'),
    alone: path.join(dir, 'bot', 'alone.js'),
  };
}

/** Starts the router and echo bots `starts` times each, alternately, so that drift on the machine hits both alike. */
export async function benchStartup(bots: BuiltBots, starts = 3, idleSeconds = 5): Promise<StartupFigures[]> {
  const targets = [
    { name: 'router bot', script: bots.router },
    { name: 'echo bot', script: bots.echo },
  ];
  const figures = targets.map(({ name }) => ({
    name,
    startupMs: [] as number[],
    idleRssBytes: [] as number[],
  }));
  for (let round = 0; round < starts; round++) {
    for (const [index, target] of targets.entries()) {
      const once = await startOnce(target.script, idleSeconds);
      figures[index].startupMs.push(once.startupMs);
      figures[index].idleRssBytes.push(once.idleRssBytes);
    }
  }
  return figures;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
