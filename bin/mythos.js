#!/usr/bin/env node
// The `mythos` command: the compiled JavaScript in dist/, which `npm run build` writes (npm ci runs
// it, and so do npm start and npm test). Stack traces point into the TypeScript sources.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/mythos.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mythos: dist/ is missing: run "npm run build" (npm ci does it)\n');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(entry.href);
