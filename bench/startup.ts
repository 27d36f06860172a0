/**
 * Start-up and idle memory of the bot as production runs it (the build, `node dist/index.js`) beside the echo bot
 * bundled the same way: time from spawning `node` to the first 200 from GET /healthz, and resident memory after a
 * few idle seconds. Several starts, alternating, medians reported.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
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

/**
 * Builds the bot (into a temporary folder, as `npm run build` does) and the echo bot the same way, then starts
 * each `starts` times, alternately so that drift on the machine hits both alike.
 */
export async function benchStartup(starts = 3, idleSeconds = 5): Promise<StartupFigures[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'partner-support-router-startup-'));
  try {
    const botDir = path.join(dir, 'bot');
    await build(botDir);
    await bundle({ 'echo-bot': path.join(repoRoot, 'bench/echo-bot.ts') }, path.join(dir, 'echo'));
    const targets = [
      { name: 'router bot', script: path.join(botDir, 'index.js') },
      { name: 'echo bot', script: path.join(dir, 'echo', 'echo-bot.js') },
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
