// @ts-check
/**
 * npm run build: the bot as one JavaScript bundle for plain `node`, with the data it reads beside it.
 *
 *   dist/index.js          the bot and every production dependency (esbuild, ESM, Node 20+)
 *   dist/src/**\/*.yaml     routing knowledge and phrases, at the path they have in the repository
 *   dist/cards, dist/web   card templates and the chat page
 *   dist/vendor/webchat.js Web Chat's browser bundle (a devDependency: nothing of it is installed in production)
 *
 * Why a bundle and not `tsc` emit: the sources import without extensions (moduleResolution Bundler) and Node's ESM
 * loader needs `.js` on every relative import, so tsc emit would mean rewriting every import in every file; a bundle
 * resolves them as the type checker does. It also starts faster and lighter (one file to parse, no module walk) and
 * needs no node_modules at run time, so the deployable package is just this folder.
 *
 * Source files find their data with `import.meta.dirname` / `import.meta.url`; in one bundle those would all name
 * dist/, so each is rewritten to the folder the file had in the repository, under dist/ — the data is copied there.
 *
 *   node scripts/build.mjs              build
 *   node scripts/build.mjs --if-stale   build only when dist/ is missing or older than a source or data file
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const entry = path.join(root, 'src/index.ts');
const stamp = path.join(dist, 'index.js');

/** Folders whose files end up in the build, as code or as data. */
const inputs = ['src', 'dialogs', 'cards', 'web', 'teams/color.png', 'package.json', 'package-lock.json'];

/** Newest modification time under a file or folder. */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, name)));
  return latest;
}

export function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((input) => newest(path.join(root, input)) > built);
}

/** Web Chat's browser bundle in node_modules (its exports map hides dist/, so go through the main entry). */
function webChatBundle() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('botframework-webchat')), '../dist/webchat.js');
}

/** `import.meta.dirname` / `.url` of a source file, as its repository location under the bundle's folder. */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let contents = readFileSync(args.path, 'utf8');
      // the entry keeps its own import.meta.url: it compares it with process.argv[1] to know it was started
      if (args.path !== entry) {
        const file = path.relative(root, args.path).split(path.sep).join('/');
        const dir = path.posix.dirname(file);
        contents = contents
          .replaceAll('import.meta.dirname', `__bundled.dir(${JSON.stringify(dir)})`)
          .replaceAll('import.meta.url', `__bundled.url(${JSON.stringify(file)})`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * restify requires spdy (HTTP/2 over TLS, which the bot never uses) at load time, and spdy's helpers call
 * process.binding(): two DEP0111 warnings on every start. The bundle gets a stand-in that refuses to be used.
 */
const withoutSpdy = {
  name: 'without-spdy',
  setup(build) {
    build.onResolve({ filter: /^spdy$/ }, () => ({ path: 'spdy', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "module.exports = { createServer() { throw new Error('spdy (HTTP/2) is not part of this build'); } };",
      loader: 'js',
    }));
  },
};

// Bundled CommonJS packages call require() for Node's built-ins; the helpers answer the rewritten import.meta.
const banner = `import { createRequire as __createRequire } from 'node:module';
import { dirname as __dirname_of, join as __join } from 'node:path';
import { fileURLToPath as __fileURLToPath, pathToFileURL as __pathToFileURL } from 'node:url';
const require = __createRequire(import.meta.url);
const __bundleDir = __dirname_of(__fileURLToPath(import.meta.url));
const __bundled = {
  dir: (dir) => __join(__bundleDir, dir),
  url: (file) => __pathToFileURL(__join(__bundleDir, file)).href,
};`;

export async function build() {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { index: entry },
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // lazily imported modules (blob storage, telemetry) stay out of memory until used
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    // optional native helper restify loads only with dtrace on
    external: ['dtrace-provider'],
    banner: { js: banner },
    plugins: [sourceLocations, withoutSpdy],
    logLevel: 'warning',
  });

  const copy = (from, to = from) => cpSync(path.join(root, from), path.join(dist, to), { recursive: true });
  // data read at run time, at the path the reading file expects (see sourceLocations)
  cpSync(path.join(root, 'src'), path.join(dist, 'src'), {
    recursive: true,
    filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
  });
  copy('cards');
  copy('web');
  copy('teams/color.png');
  mkdirSync(path.join(dist, 'vendor'), { recursive: true });
  cpSync(webChatBundle(), path.join(dist, 'vendor/webchat.js'));
  process.stdout.write(`built dist/ in ${Date.now() - started} ms\n`);
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  await build();
}
