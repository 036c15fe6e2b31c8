#!/usr/bin/env node
// The `mythos` command. The sources are TypeScript, compiled as they load (ts-loader.js): no build
// step, so `npm ci` is the whole setup.
import './one-malloc-arena.js'; // first: it may restart `serve` (see there)
import './ts-loader.js';

await import('../cli/mythos.ts');
