#!/usr/bin/env node
// The `mythos` command. The sources are TypeScript, run through tsx's loader: no build step, so
// `npm ci` is the whole setup.
import { register } from 'tsx/esm/api';

register();
await import('../cli/mythos.ts');
