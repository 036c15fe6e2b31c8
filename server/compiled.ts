// Where the compiled JavaScript of one of our modules is, for code that node must start as a file
// of its own (the hashing child process, the WAL checkpoint thread). Run from dist/, that is the
// file beside the caller. Run from the TypeScript sources (vitest does), it is the same file in
// dist/, which `npm run build` writes; `npm test` builds first.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project's folder (where package.json is), whether this runs from dist/ or the sources. */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
const ROOT = PROJECT_ROOT;

/** `file` (say './hash-worker.js') beside the module at `from` (its import.meta.url), compiled. */
export function compiledModule(from: string, file: string): URL {
  const here = fileURLToPath(from);
  if (!/\.tsx?$/.test(here)) return new URL(file, from);
  const twin = join(ROOT, 'dist', relative(ROOT, dirname(here)), file);
  if (!existsSync(twin)) throw new Error(`${twin} is missing: run "npm run build" (npm ci and npm test do)`);
  return pathToFileURL(twin);
}
