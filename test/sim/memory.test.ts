/**
 * The merge streams a long log in constant memory: a generated 1,000,000-line log (slightly out of
 * order, with webhooks interleaved) goes through the whole input stream while the heap is sampled.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { replayInputs } from '../../src/sim/inputs.js';
import { jsonl, mockEvent, tempDir } from './helpers.js';

const LINES = 1_000_000;
/** The default reorder window (at 300,000 the window alone holds about 100 MB and the test fails). */
const WINDOW = undefined as number | undefined;
const T = 1_735_689_600_000;
const MB = 1024 * 1024;
const tmp = tempDir('monetize-sim-memory-');

// A full collection on demand, without starting the process with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
afterAll(() => tmp.cleanup());

/** Write the log in chunks; every 50th line is swapped with the one before it (within the reorder window). */
function writeLog(path: string): void {
  const fd = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    for (let i = 0; i < LINES; i++) {
      const n = i % 50 === 1 ? i - 1 : i % 50 === 0 ? i + 1 : i;
      chunk.push(`{"assetId":"model:llm-base","action":"execute","timestamp":${T + n},"context":{"userId":"u${n % 997}","tier":"pro","tokenBalance":40}}`);
      if (chunk.length === 10_000) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    writeSync(fd, chunk.join('\n'));
  } finally {
    closeSync(fd);
  }
}

describe('memory', () => {
  it('streams 1,000,000 log lines through the merge with bounded heap growth', async () => {
    const log = tmp.file('big.jsonl', '');
    writeLog(log);
    const hooks = tmp.file('hooks.jsonl', jsonl(Array.from({ length: 1000 }, (_, i) => mockEvent(`m${i}`, T + i * 1000 + 500))));
    // The live heap (after a full collection) is sampled on a timer, so that lines held inside the
    // stream count even while nothing is yielded.
    const live = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const base = live();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, live())), 250);
    let requests = 0;
    let events = 0;
    let rejected = 0;
    let last = -Infinity;
    let ordered = true;
    const started = performance.now();
    try {
      for await (const item of replayInputs({ logs: [log], webhooks: [hooks], reorderLines: WINDOW })) {
        if (item.kind === 'rejected') rejected++;
        else {
          if (item.time < last) ordered = false;
          last = item.time;
          if (item.kind === 'event') events++;
          else requests++;
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, live());
    const growth = (peak - base) / MB;
    console.log(`merge: ${LINES.toLocaleString('en-US')} lines in ${seconds.toFixed(2)} s (${Math.round(LINES / seconds / 1000)} k lines/s), heap growth ${growth.toFixed(1)} MB (from ${(base / MB).toFixed(1)} MB)`);
    expect({ requests, events, rejected, ordered }).toStrictEqual({ requests: LINES, events: 1000, rejected: 0, ordered: true });
    expect(growth).toBeLessThan(64);
  }, 60_000);
});
