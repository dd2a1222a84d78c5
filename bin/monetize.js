#!/usr/bin/env node
// Thin shim: the CLI lives in the compiled TypeScript under dist/.
import { main } from '../dist/cli/main.js';

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
