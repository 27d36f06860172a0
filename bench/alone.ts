/**
 * node alone.js <messages.json>: the routing engine and the understanding alone, run from the build like the bot
 * (sources under tsx would carry its keepNames wrappers, half of the engine's time), printed as one JSON line.
 * The messages are the labelled corpus's, read by the bench (the build has no YAML parser for them).
 */
import { readFileSync } from 'node:fs';
import { benchEngine } from './engine';
import { benchUnderstanding, type CorpusMessage } from './understanding';

const messages = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CorpusMessage[];
console.log(JSON.stringify({ engine: benchEngine(3), understanding: benchUnderstanding(messages, 2) }));
