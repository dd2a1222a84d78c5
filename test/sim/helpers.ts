/** Temp folders and stream collection shared by the simulator input tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { replayInputs, type InputItem, type ReplayInputOptions } from '../../src/sim/inputs.js';

/** A temp folder for one test file, removed by `cleanup`. */
export function tempDir(prefix: string): { root: string; file: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    file(name, content) {
      const p = join(root, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** JSON Lines text of `values`. */
export function jsonl(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join('\n') + '\n';
}

/** Every item of the stream. */
export async function collect(options: ReplayInputOptions): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of replayInputs(options)) out.push(item);
  return out;
}

/** A short label per item: `req <id> @<time>`, `evt <eventId> @<time>`, `rej <file-base>:<line> <reason>`. */
export function labels(items: readonly InputItem[], root = ''): string[] {
  return items.map((i) => {
    if (i.kind === 'request') return `req ${i.id.replace(root, '')} @${i.time}`;
    if (i.kind === 'event') return `evt ${i.event.eventId} @${i.time}`;
    return `rej ${i.file.replace(root, '')}:${i.line} ${i.reason}`;
  });
}

/** A hand-written (mock) payment event at `ms`. */
export function mockEvent(id: string, ms: number, userId = 'u1'): Record<string, unknown> {
  return { provider: 'mock', id, type: 'payment.succeeded', occurred_at: ms, user_id: userId };
}

/** An access-log request at `ms`. */
export function request(ms: number, id?: string): Record<string, unknown> {
  return { ...(id !== undefined ? { id } : {}), assetId: 'model:llm-base', action: 'execute', timestamp: ms, context: { userId: 'u1', tier: 'pro', tokenBalance: 40, entitlements: [] } };
}
