import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getKnowledge } from '../knowledge/load';
import { Lang } from '../knowledge/schema';
import { routesDiagram } from '../insights/diagram';

/**
 * Trainer CLI: the question tree of every route as Mermaid flowcharts in Markdown.
 *   npm run routes:diagram                  (writes docs/routes.en.md and docs/routes.ja.md)
 *   npm run routes:diagram -- --lang ja     (prints one language to stdout)
 *   npm run routes:diagram -- --out <dir>   (writes both files into <dir>)
 */
function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      lang: { type: 'string' },
      out: { type: 'string', default: 'docs' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run routes:diagram -- [--lang ja|en (print to stdout)] [--out <dir> (default docs)]',
    );
    return;
  }
  const knowledge = getKnowledge();
  if (values.lang !== undefined) {
    process.stdout.write(routesDiagram(Lang.parse(values.lang), knowledge));
    return;
  }
  mkdirSync(values.out, { recursive: true });
  for (const lang of Lang.options) {
    const file = join(values.out, `routes.${lang}.md`);
    writeFileSync(file, routesDiagram(lang, knowledge));
    console.log(`wrote ${file}`);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
