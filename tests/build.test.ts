import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/targets';
import { collectOutput, exited, holdConversation, waitForHealth } from './helpers/started';

const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * `npm start` as the README and a container start it: builds when there is no (current) build, runs it on plain
 * node, and SIGTERM sent to npm — what `docker stop` or App Service sends to the started process — reaches the bot.
 */
describe('npm start', () => {
  const started: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('runs the build on node, holds a conversation, and stops with exit 0 on SIGTERM to npm', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(npm);
    const output = collectOutput(npm);
    const baseUrl = `http://127.0.0.1:${port}`;
    // a first start may build (esbuild, ~10 s on a busy machine)
    await waitForHealth(baseUrl, npm, output, 120_000);

    expect(output()).toContain('> exec node dist/index.js');
    expect(output()).not.toMatch(/tsx|DeprecationWarning|\bWarning:/);
    expect(await holdConversation(`${baseUrl}/api/messages`, 'npm-start-1')).toBeGreaterThan(1);
    // the chat page and Web Chat's bundle come from the build, not from node_modules
    expect((await fetch(`${baseUrl}/chat`)).status).toBe(200);
    const webChat = await fetch(`${baseUrl}/webchat/webchat.js`);
    expect(webChat.status).toBe(200);
    expect((await webChat.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);

    npm.kill('SIGTERM');
    expect(await exited(npm)).toBe(0);
    expect(output()).toContain('"event":"shutdownComplete"');
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
  }, 180_000);
});
