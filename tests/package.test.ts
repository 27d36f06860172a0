import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/targets';
import { collectOutput, exited, holdConversation, waitForHealth } from './helpers/started';

const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * The deployable zip as App Service runs it (WEBSITE_RUN_FROM_PACKAGE): unpacked into an empty folder with no
 * node_modules anywhere above it, started with plain `node`, talked to over HTTP.
 */
describe('npm run package', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'partner-support-router-package-'));
  let app: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    if (app?.exitCode === null) app.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('writes a zip that runs with node from an empty folder and holds a conversation', async () => {
    const zipFile = path.join(work, 'app.zip');
    await promisify(execFile)(process.execPath, ['scripts/package.mjs', '--out', zipFile], { cwd: repoRoot });
    const folder = path.join(work, 'wwwroot');
    new AdmZip(zipFile).extractAllTo(folder);
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(['index.js', 'package.json', 'vendor']));
    expect(existsSync(path.join(folder, 'node_modules'))).toBe(false);

    const port = await freePort();
    app = spawn(process.execPath, ['index.js'], {
      cwd: folder,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collectOutput(app);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, app, output, 60_000);

    expect(await holdConversation(`${baseUrl}/api/messages`, 'package-1')).toBeGreaterThan(1);
    expect((await fetch(`${baseUrl}/chat`)).status).toBe(200);
    const webChat = await fetch(`${baseUrl}/webchat/webchat.js`);
    expect(webChat.status).toBe(200);
    expect((await webChat.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect(output()).not.toMatch(/Warning|"level":[56]0/);

    app.kill('SIGTERM');
    expect(await exited(app)).toBe(0);
  }, 180_000);
});
