#!/usr/bin/env node
// Thin shim: the CLI lives in the compiled TypeScript under dist/, which `npm run build` makes.
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
let main;
try {
  ({ main } = await import(new URL('cli/main.js', dist).href));
} catch (error) {
  // A clone that was never built (or whose build was cleaned) has no dist/: say how to build it.
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && (error.url ?? '').startsWith(dist.href);
  if (!missing) throw error;
  const root = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
  process.stderr.write(`monetize: error: the CLI is not built (${fileURLToPath(dist)}cli/ is missing or incomplete)\n  = help: run \`npm run build\` in ${root}\n`);
  process.exit(2);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() reports every expected failure itself; reaching here is a bug in monetize.
    process.stderr.write(`monetize: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('This is a bug in monetize; please report it with the command you ran.\n');
    process.exitCode = 70;
  },
);
