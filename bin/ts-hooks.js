// Node module hooks that run our TypeScript sources without a build step: a `.js` import that has
// no file behind it resolves to the `.ts`/`.tsx` beside it (the NodeNext convention the sources
// use), and `.ts`/`.tsx` files are compiled by esbuild as they load, with an inline source map.
//
// Why not tsx: it compiles with esbuild's `keepNames`, which wraps every named function in a
// `__name(fn, "fn")` call that gives it an own `name` property: one more property per closure, for
// every closure a connection or a hot path makes (the calls were 4.9 % of the load generator's CPU
// in the travel benchmark). Nothing here minifies, so names stay right without it. esbuild is the
// compiler tsx uses too; only the options differ.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TS = /\.(ts|tsx|mts)$/;

let tsconfigRaw;
async function compilerOptions() {
  // The project's own settings (jsx, class fields, module syntax) decide how esbuild emits.
  tsconfigRaw ??= readFile(new URL('../tsconfig.json', import.meta.url), 'utf8').then((text) => ({
    compilerOptions: JSON.parse(text).compilerOptions,
  }));
  return tsconfigRaw;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:');
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !relative || !specifier.endsWith('.js')) throw err;
    for (const ext of ['.ts', '.tsx']) {
      try {
        return await nextResolve(specifier.slice(0, -3) + ext, context);
      } catch {
        // try the next extension; the original error is the one worth reporting
      }
    }
    throw err;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: file,
    tsconfigRaw: await compilerOptions(),
  });
  return { format: 'module', source: code, shortCircuit: true };
}
