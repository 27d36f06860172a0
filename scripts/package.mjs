// @ts-check
/**
 * npm run package: build/partner-support-router.zip, what Azure App Service runs (zip deploy or
 * WEBSITE_RUN_FROM_PACKAGE, which mounts the zip read-only as the app folder).
 *
 * The zip is the build (see build.mjs) with a package.json whose start script runs it: one bundled index.js that
 * needs no node_modules, the YAML, card templates and web files beside it, and Web Chat's browser bundle.
 * Source maps stay out (32 MB; `npm run build` keeps them locally for reading stack traces).
 *
 *   node scripts/package.mjs [--out file.zip]
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import AdmZip from 'adm-zip';
import { build } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');

/** Builds into a folder of its own (dist/ may be serving `npm start`) and zips it to `out`. */
export async function writePackage(out = path.join(root, 'build', 'partner-support-router.zip')) {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'partner-support-router-build-'));
  try {
    await build(dist);
    const project = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const manifest = {
      name: project.name,
      version: project.version,
      private: true,
      description: project.description,
      license: project.license,
      type: 'module',
      engines: project.engines,
      // App Service starts a Node app with `npm start`; exec so that its SIGTERM reaches the bot, not the shell
      scripts: { start: 'exec node index.js' },
    };
    const zip = new AdmZip();
    zip.addLocalFolder(dist, '', (name) => !name.endsWith('.map') && name !== 'package.json');
    zip.addFile('package.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    mkdirSync(path.dirname(out), { recursive: true });
    await zip.writeZipPromise(out);
    return out;
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = await writePackage(values.out && path.resolve(values.out));
  const megabytes = (statSync(out).size / 1024 / 1024).toFixed(1);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (${megabytes} MB)\n`);
}
