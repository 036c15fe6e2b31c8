// Imported first by our entry points: from here on, `import` runs TypeScript (see ts-hooks.js),
// and stack traces point into the .ts sources.
import { register } from 'node:module';

register('./ts-hooks.js', import.meta.url);
process.setSourceMapsEnabled(true);
