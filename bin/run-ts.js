#!/usr/bin/env node
// Runs a TypeScript file of the project through our loader (ts-loader.js): `node bin/run-ts.js bench/run.ts`.
import './ts-loader.js';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts FILE [ARGS...]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
