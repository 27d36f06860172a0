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
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
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
 * Deprecation warnings Node prints only for code outside node_modules, which bundled code is:
 * - whatwg-url (under node-fetch) requires Node's deprecated `punycode` (DEP0040 on Node 22+): the userland
 *   package of the same name is the drop-in its docs name;
 * - restify parses every request URL with url.parse() (DEP0169 on Node 24): the same parse through url.Url,
 *   which is what url.parse() does after its warning; and it makes Buffers with `new Buffer(0 | string)`
 *   (DEP0005 on the first request): Buffer.alloc / Buffer.from.
 */
const withoutDeprecations = {
  name: 'without-deprecations',
  setup(build) {
    build.onResolve({ filter: /^punycode$/ }, () => ({ path: require.resolve('punycode/') }));
    build.onLoad({ filter: /[\\/]node_modules[\\/]restify[\\/]lib[\\/].*\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8')
        .replace(
          /\burl\.parse\(/g,
          '((...args) => { const parsed = new url.Url(); parsed.parse(...args); return parsed; })(',
        )
        .replaceAll('new Buffer(0)', 'Buffer.alloc(0)')
        .replaceAll('new Buffer(', 'Buffer.from('),
      loader: 'js',
    }));
  },
};

/**
 * botbuilder-dialogs loads every Microsoft.Recognizers.Text package when it is imported (date and time, numbers,
 * choices, and the whole suite for nine culture codes) although this bot uses none of the prompts that need them:
 * hundreds of milliseconds of start-up and megabytes of regular expressions. The culture codes come from the small
 * base package; each recognizer is bundled into a file of its own (lazy/*.cjs), required on first use only, so
 * that its 1.6 MB are not even parsed at start-up.
 */
const recognizers = ['recognizers-text-date-time', 'recognizers-text-number', 'recognizers-text-choice'];
const dialogsDir = path.dirname(require.resolve('botbuilder-dialogs/package.json'));

const lazyRecognizers = {
  name: 'lazy-recognizers',
  setup(build) {
    const fromDialogs = /[\\/]node_modules[\\/]botbuilder-dialogs[\\/]/;
    build.onResolve({ filter: /^@microsoft\/recognizers-text-suite$/ }, (args) =>
      fromDialogs.test(args.importer) ? { path: require.resolve('@microsoft/recognizers-text') } : undefined,
    );
    build.onLoad({ filter: /[\\/]node_modules[\\/]botbuilder-dialogs[\\/]lib[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager =
        /^const (\w+) = (__importStar\()?require\("(@microsoft\/recognizers-text-(?:date-time|number|choice))"\)\)?;$/gm;
      if (!eager.test(source)) return undefined;
      return {
        contents: source.replace(eager, (_, name, importStar = '', pkg) => {
          const load = `${importStar}require(__bundled.dir(${JSON.stringify(`lazy/${path.basename(pkg)}.cjs`)}))${importStar ? ')' : ''}`;
          return `let ${name}$loaded; const ${name} = new Proxy({}, { get: (_, key) => (${name}$loaded ??= ${load})[key] });`;
        }),
        loader: 'js',
      };
    });
  },
};

/**
 * The routing knowledge and phrases are YAML read at start-up; parsing 140 KB of YAML took most of the bot's own
 * start-up time and left ~13 MB behind. The build parses each src/**\/*.yaml once and embeds the result: the bundle's
 * `yaml` answers a text it knows (same content, by hash) with that result and hands any other text — a file edited
 * after the build — to the real parser, loaded only then.
 */
const precompiledYaml = {
  name: 'precompiled-yaml',
  setup(build) {
    const yaml = require('yaml');
    const ownCode = (importer) => !importer.includes(`${path.sep}node_modules${path.sep}`);
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      args.namespace === 'file' && ownCode(args.importer)
        ? { path: 'yaml', namespace: 'precompiled-yaml' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'precompiled-yaml' }, () => {
      const known = yamlFiles(path.join(root, 'src')).map((file) => {
        const text = readFileSync(file, 'utf8');
        return [createHash('sha256').update(text).digest('hex'), JSON.stringify(yaml.parse(text))];
      });
      return {
        contents: `import { createHash } from 'node:crypto';
const known = new Map(${JSON.stringify(known)});
const precompiled = (text) => known.get(createHash('sha256').update(text).digest('hex'));
export function parse(text, ...rest) {
  const json = precompiled(text);
  return json === undefined ? require('yaml').parse(text, ...rest) : JSON.parse(json);
}
export function parseDocument(text, ...rest) {
  const json = precompiled(text);
  if (json === undefined) return require('yaml').parseDocument(text, ...rest);
  return { errors: [], warnings: [], toJS: () => JSON.parse(json) };
}`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return entry.name.endsWith('.yaml') ? [full] : [];
  });
}

// Bundled CommonJS packages call require() for Node's built-ins; the helpers answer the rewritten import.meta.
const banner = `import { createRequire as __createRequire } from 'node:module';
import { dirname as __dirname_of, join as __join } from 'node:path';
import { fileURLToPath as __fileURLToPath, pathToFileURL as __pathToFileURL } from 'node:url';
const require = __createRequire(import.meta.url);
// the build's folder, also from the shared chunks in its chunks/ folder
const __bundleDir = ((dir) => (/[\\\\/]chunks$/.test(dir) ? __dirname_of(dir) : dir))(__dirname_of(__fileURLToPath(import.meta.url)));
const __bundled = {
  dir: (dir) => __join(__bundleDir, dir),
  url: (file) => __pathToFileURL(__join(__bundleDir, file)).href,
};`;

/** Bundles TypeScript entry points ({ name: path }) into `outdir` as the bot's build does (the bench bundles its echo bot). */
export async function bundle(entryPoints, outdir) {
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // lazily imported modules (blob storage, telemetry) stay out of memory until used
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Identifiers are not renamed, so names stay as written (stack traces, ComponentRegistration's registry keyed by
    // class name). keepNames would instead wrap every function created at run time in a call that sets its name,
    // several per awaited call in the SDK's compiled async code: a sixth of the CPU of a turn.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    // optional native helpers, loaded only when asked for (restify's dtrace; Application Insights' native metrics)
    external: ['dtrace-provider', 'applicationinsights-native-metrics'],
    banner: { js: banner },
    plugins: [sourceLocations, withoutDeprecations, lazyRecognizers, precompiledYaml],
    logLevel: 'warning',
  });
  // the recognizers lazyRecognizers points at
  await esbuild.build({
    entryPoints: Object.fromEntries(
      recognizers.map((name) => [name, require.resolve(`@microsoft/${name}`, { paths: [dialogsDir] })]),
    ),
    outdir: path.join(outdir, 'lazy'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
  });
  // ES modules wherever the folder goes (without it Node 20.19+ parses the 8 MB bundle twice: CommonJS, then ESM)
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n');
}

/** Builds into `outdir` (dist/ by default; the package script builds into a folder of its own). */
export async function build(outdir = dist) {
  const started = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  await bundle({ index: entry }, outdir);

  const copy = (from) => cpSync(path.join(root, from), path.join(outdir, from), { recursive: true });
  // data read at run time, at the path the reading file expects (see sourceLocations)
  cpSync(path.join(root, 'src'), path.join(outdir, 'src'), {
    recursive: true,
    filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
  });
  copy('cards');
  copy('web');
  copy('teams/color.png');
  mkdirSync(path.join(outdir, 'vendor'), { recursive: true });
  cpSync(webChatBundle(), path.join(outdir, 'vendor/webchat.js'));
  process.stdout.write(`built ${path.relative(root, outdir) || outdir} in ${Date.now() - started} ms\n`);
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  await build();
}
