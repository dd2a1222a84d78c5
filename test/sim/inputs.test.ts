import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { inputPathProblems, replayInputs, type EventItem, type RejectedItem, type RequestItem } from '../../src/sim/inputs.js';
import { collect, jsonl, labels, mockEvent, request, tempDir } from './helpers.js';

const T = 1_735_689_600_000;
const tmp = tempDir('monetize-sim-inputs-');
afterAll(() => tmp.cleanup());
const R = tmp.root + '/';

const PAYMENTS = join(import.meta.dirname, '..', 'payments', 'fixtures');
const fixtureText = (name: string): string => readFileSync(join(PAYMENTS, name), 'utf8');

describe('order and clock', () => {
  it('orders by event time; at the same millisecond webhooks come first, then logs in the order given, each in line order', async () => {
    const a = tmp.file('order/a.jsonl', jsonl([request(T + 1000, 'a1'), request(T + 1000, 'a2'), request(T + 2000, 'a3')]));
    const b = tmp.file('order/b.jsonl', jsonl([request(T + 1000, 'b1'), request(T + 1500, 'b2')]));
    const hooks = tmp.file('order/hooks.jsonl', jsonl([mockEvent('m1', T + 1000), mockEvent('m2', T + 500), mockEvent('m3', T + 1000), mockEvent('m4', T + 2000)]));
    const items = await collect({ logs: [a, b], webhooks: [hooks] });
    expect(labels(items)).toStrictEqual([
      `evt m2 @${T + 500}`,
      `evt m1 @${T + 1000}`,
      `evt m3 @${T + 1000}`,
      `req a1 @${T + 1000}`,
      `req a2 @${T + 1000}`,
      `req b1 @${T + 1000}`,
      `req b2 @${T + 1500}`,
      `evt m4 @${T + 2000}`,
      `req a3 @${T + 2000}`,
    ]);
    // The second log given breaks ties after the first: swapping them swaps a1/a2 and b1.
    const swapped = await collect({ logs: [b, a], webhooks: [hooks] });
    expect(labels(swapped).slice(3, 6)).toStrictEqual([`req b1 @${T + 1000}`, `req a1 @${T + 1000}`, `req a2 @${T + 1000}`]);
  });

  it('a request carries its line, its identity (own id, else file:line, blank lines counted) and the object as read', async () => {
    const log = tmp.file('ids.jsonl', `${JSON.stringify(request(T, 'r-1'))}\n\n${JSON.stringify(request(T + 1))}\n`);
    const items = (await collect({ logs: [log] })) as RequestItem[];
    expect(items.map((i) => [i.kind, i.id, i.file, i.line, i.time])).toStrictEqual([
      ['request', 'r-1', log, 1, T],
      ['request', `${log}:3`, log, 3, T + 1],
    ]);
    expect(items[1]!.request).toStrictEqual(request(T + 1));
  });

  it('a gzip log (.gz) gives the same stream as the plain one', async () => {
    const lines = jsonl([request(T + 2, 'g2'), request(T + 1, 'g1'), { nope: true }, request(T + 3, 'g3')]);
    const plain = tmp.file('gz/log.jsonl', lines);
    const gz = tmp.file('gz/log.jsonl.gz', gzipSync(lines));
    const fromPlain = await collect({ logs: [plain] });
    const fromGz = await collect({ logs: [gz] });
    expect(labels(fromGz, gz)).toStrictEqual(labels(fromPlain, plain));
    expect(labels(fromGz, R)).toStrictEqual(['rej gz/log.jsonl.gz:3 malformed', `req g1 @${T + 1}`, `req g2 @${T + 2}`, `req g3 @${T + 3}`]);
  });

  it('an empty input set is an empty stream', async () => {
    expect(await collect({ logs: [] })).toStrictEqual([]);
    expect(await collect({ logs: [tmp.file('empty.jsonl', '')] })).toStrictEqual([]);
  });
});

describe('webhook inputs', () => {
  it('folders are walked in sorted order: files only, sub-folders in place, dot-files and other names skipped', async () => {
    const dir = join(tmp.root, 'walk');
    // Written out of order; all at the same time, so the stream shows the walk order.
    tmp.file('walk/c.json', JSON.stringify(mockEvent('c', T)));
    tmp.file('walk/a.json', JSON.stringify(mockEvent('a', T)));
    tmp.file('walk/b/inner.jsonl', jsonl([mockEvent('b1', T), mockEvent('b2', T)]));
    tmp.file('walk/B.json', JSON.stringify(mockEvent('B', T)));
    tmp.file('walk/.hidden.json', JSON.stringify(mockEvent('hidden', T)));
    tmp.file('walk/README.md', '# fixtures');
    tmp.file('walk/d.jsonl.gz', gzipSync(jsonl([mockEvent('d', T)])));
    const items = (await collect({ logs: [], webhooks: [dir] })) as EventItem[];
    expect(items.map((i) => i.event.eventId)).toStrictEqual(['B', 'a', 'b1', 'b2', 'c', 'd']);
    expect(items.map((i) => i.id.replace(R, ''))).toStrictEqual(['walk/B.json', 'walk/a.json', 'walk/b/inner.jsonl:1', 'walk/b/inner.jsonl:2', 'walk/c.json', 'walk/d.jsonl.gz:1']);
    expect(items[0]).toMatchObject({ kind: 'event', line: 1, time: T, signature: 'none' });
    // Files and folders given together keep the order given; a file reached twice (here directly, then
    // through its folder) is read once, so each delivery has one identity.
    const again = (await collect({ logs: [], webhooks: [join(dir, 'c.json'), dir] })) as EventItem[];
    expect(again.map((i) => i.event.eventId)).toStrictEqual(['c', 'B', 'a', 'b1', 'b2', 'd']);
    const twice = (await collect({ logs: [], webhooks: [dir, dir] })) as EventItem[];
    expect(twice.map((i) => i.event.eventId)).toStrictEqual(['B', 'a', 'b1', 'b2', 'c', 'd']);
  });

  it('a .jsonl collection mixes raw provider events, envelopes and hand-written events; bad lines are located', async () => {
    const stripeRaw = fixtureText('stripe/charge.refunded-full.json');
    const paddleRaw = fixtureText('paddle/transaction.completed.json');
    const file = tmp.file(
      'mixed.jsonl',
      jsonl([
        JSON.parse(stripeRaw),
        { headers: { 'Content-Type': 'application/json' }, body: paddleRaw },
        mockEvent('mock-1', T),
        { object: 'event', id: 'evt_x' },
        [1, 2],
      ]) + '{"provider": "mock",\n',
    );
    const items = await collect({ logs: [], webhooks: [file] });
    const rejected = items.filter((i): i is RejectedItem => i.kind === 'rejected');
    expect(rejected.map((r) => [r.source, r.reason, r.file, r.line])).toStrictEqual([
      ['webhook', 'malformed', file, 4],
      ['webhook', 'malformed', file, 5],
      ['webhook', 'malformed', file, 6],
    ]);
    expect(rejected[0]!.message).toMatch(/^Stripe event: /);
    expect(rejected[2]!.message).toMatch(/^invalid JSON/);
    const events = items.filter((i): i is EventItem => i.kind === 'event');
    expect(events.map((e) => [e.event.provider, e.line, e.signature])).toStrictEqual(
      // Sorted by the events' own times: the mock event is in 2025-01, the others earlier.
      [...events].sort((x, y) => x.time - y.time).map((e) => [e.event.provider, e.line, e.signature]),
    );
    expect(new Set(events.map((e) => `${e.event.provider}:${e.line}:${e.signature}`))).toStrictEqual(new Set(['stripe:1:none', 'paddle:2:not_checked', 'mock:3:none']));
    // Webhook rejections come first, before anything is replayed.
    expect(items.slice(0, 3).every((i) => i.kind === 'rejected')).toBe(true);
  });

  it('a fixture file that is not JSON is located by line; an unknown shape is malformed at line 1', async () => {
    const broken = tmp.file('bad/broken.json', '{\n  "provider": "mock",\n  "id": "x"\n  "type": "ignored"\n}\n');
    const unknown = tmp.file('bad/unknown.json', '{"hello": "world"}');
    const items = (await collect({ logs: [], webhooks: [broken, unknown, join(tmp.root, 'bad', 'missing.json')] })) as RejectedItem[];
    expect(items.map((r) => [r.reason, r.file.replace(R, ''), r.line])).toStrictEqual([
      ['malformed', 'bad/broken.json', 4],
      ['malformed', 'bad/unknown.json', 1],
      ['unreadable', 'bad/missing.json', 0],
    ]);
    expect(items[0]!.message).toMatch(/^it is not JSON \(column 3: /);
    expect(items[1]!.message).toMatch(/is not a webhook/);
    expect(items[2]!.message).toBe('the webhook input cannot be read: no such file or folder');
  });
});

describe('signed envelopes', () => {
  const stripe = new Stripe('sk_test_not_used_offline');
  const SECRET = 'whsec_test_sim_7c1d';
  const payload = fixtureText('stripe/charge.refunded-full.json');
  const created = (JSON.parse(payload) as { created: number }).created;
  const envelope = (body: string, secret = SECRET) => ({
    headers: { 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: created + 1 }), 'Content-Type': 'application/json' },
    body,
  });

  it('verifies with the secret, and rejects a tampered body or a wrong secret as invalid_signature, located', async () => {
    const tampered = payload.replace('"amount_refunded": 1190', '"amount_refunded": 1');
    expect(tampered).not.toBe(payload);
    const file = tmp.file('signed.jsonl', jsonl([envelope(payload), envelope(tampered), envelope(payload, 'whsec_someone_else')]));
    const items = await collect({ logs: [], webhooks: [file], secrets: { stripe: ['whsec_old_one', SECRET] } });
    expect(items.map((i) => (i.kind === 'event' ? `event ${i.line} ${i.signature}` : i.kind === 'rejected' ? `${i.reason} ${i.line}` : i.kind))).toStrictEqual([
      'invalid_signature 2',
      'invalid_signature 3',
      'event 1 verified',
    ]);
    expect((items[0] as RejectedItem).message).toMatch(/^stripe: /);
    expect(items[0]).toMatchObject({ source: 'webhook', file });
    // Without a secret for Stripe the same envelopes are accepted, marked not_checked.
    const unchecked = await collect({ logs: [], webhooks: [file], secrets: { paddle: ['pdl_x'] } });
    expect(unchecked.map((i) => (i.kind === 'event' ? i.signature : i.kind))).toStrictEqual(['not_checked', 'not_checked', 'not_checked']);
  });

  it('the tolerance is passed through to the signature check', async () => {
    const late = { headers: { 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: created + 3600 }) }, body: payload };
    const file = tmp.file('late.json', JSON.stringify(late));
    expect((await collect({ logs: [], webhooks: [file], secrets: { stripe: [SECRET] } })).map((i) => i.kind)).toStrictEqual(['rejected']);
    expect((await collect({ logs: [], webhooks: [file], secrets: { stripe: [SECRET] }, verify: { toleranceSeconds: 7200 } })).map((i) => i.kind)).toStrictEqual(['event']);
  });
});

describe('bad log lines', () => {
  it('are located by file and line, say what is wrong, and are yielded where they are read', async () => {
    const log = tmp.file(
      'bad-lines.jsonl',
      [
        JSON.stringify(request(T + 1, 'ok-1')),
        '{"assetId": "x", "timestamp": ',
        '[1, 2]',
        JSON.stringify({ assetId: 'x', action: 'execute' }),
        JSON.stringify({ assetId: 'x', timestamp: '2025-01-01T00:00:00Z' }),
        JSON.stringify({ ...request(T + 2), id: 7 }),
        JSON.stringify({ ...request(T + 2), id: '' }),
        '{"timestamp": 1e400}',
        JSON.stringify(request(T + 3, 'ok-2')),
      ].join('\n'),
    );
    const items = await collect({ logs: [log], reorderLines: 0 });
    expect(labels(items, R)).toStrictEqual([
      `req ok-1 @${T + 1}`,
      'rej bad-lines.jsonl:2 malformed',
      'rej bad-lines.jsonl:3 malformed',
      'rej bad-lines.jsonl:4 malformed',
      'rej bad-lines.jsonl:5 malformed',
      'rej bad-lines.jsonl:6 malformed',
      'rej bad-lines.jsonl:7 malformed',
      'rej bad-lines.jsonl:8 malformed',
      `req ok-2 @${T + 3}`,
    ]);
    const messages = items.filter((i): i is RejectedItem => i.kind === 'rejected').map((r) => r.message);
    expect(messages[0]).toMatch(/^invalid JSON/);
    expect(messages.slice(1)).toStrictEqual([
      'a log line must be a JSON object (one request), found an array',
      "timestamp: expected the request's time in milliseconds since the epoch (a number), found nothing",
      'timestamp: expected the request\'s time in milliseconds since the epoch (a number), found the string "2025-01-01T00:00:00Z"',
      "id: expected the request's identity as a non-empty string, found the number 7",
      'id: expected the request\'s identity as a non-empty string, found the string ""',
      // 1e400 parses as Infinity, which is not a time.
      "timestamp: expected the request's time in milliseconds since the epoch (a number), found the number null",
    ]);
  });

  it('a log that cannot be read is one rejection at line 0; one that breaks off is rejected after its last line', async () => {
    const missing = join(tmp.root, 'no-such.jsonl');
    const gz = gzipSync(jsonl(Array.from({ length: 2000 }, (_, i) => request(T + i))));
    const truncated = tmp.file('truncated.jsonl.gz', gz.subarray(0, gz.length - 40));
    const notGzip = tmp.file('not-gzip.jsonl.gz', jsonl([request(T)]));
    const items = await collect({ logs: [missing, truncated, notGzip], webhooks: [] });
    // Sorted by file: where each comes in the stream depends on how far the merge had to read.
    const rejected = items.filter((i): i is RejectedItem => i.kind === 'rejected').sort((x, y) => (x.file < y.file ? -1 : 1));
    expect(rejected.map((r) => [r.reason, r.file.replace(R, ''), r.line > 0 ? 'after' : 0])).toStrictEqual([
      ['unreadable', 'no-such.jsonl', 0],
      ['unreadable', 'not-gzip.jsonl.gz', 0],
      ['unreadable', 'truncated.jsonl.gz', 'after'],
    ]);
    expect(rejected[0]!.message).toBe('the access log cannot be read: no such file or folder');
    expect(rejected[1]!.message).toMatch(/^the access log cannot be read: /);
    expect(rejected[2]!.message).toMatch(/^the access log cannot be read past line \d+: /);
    // Everything read before the break is kept, in order.
    const times = items.filter((i) => i.kind === 'request').map((i) => i.time);
    expect(times.length).toBeGreaterThan(0);
    expect(times).toStrictEqual([...times].sort((x, y) => x - y));
  });

  it('inputPathProblems names the inputs that cannot be read at all, for a usage error before replaying', () => {
    const log = tmp.file('fine.jsonl', '');
    expect(inputPathProblems({ logs: [log, tmp.root, join(tmp.root, 'nope.jsonl')], webhooks: [tmp.root, join(tmp.root, 'nope')] })).toStrictEqual([
      { path: tmp.root, reason: 'it is a folder, not an access log' },
      { path: join(tmp.root, 'nope.jsonl'), reason: 'no such file or folder' },
      { path: join(tmp.root, 'nope'), reason: 'no such file or folder' },
    ]);
  });
});

describe('the reorder window', () => {
  // r2 and r3 come after 3 later lines (r5, r6, r7); r4 after 4 (r5 to r8).
  const shuffled = [1, 5, 6, 7, 2, 3, 8, 4, 9, 10].map((s) => request(T + s * 1000, `r${s}`));

  it('puts a line preceded by at most N later lines back in its place', async () => {
    const log = tmp.file('reorder/near.jsonl', jsonl(shuffled));
    const items = (await collect({ logs: [log], reorderLines: 4 })) as RequestItem[];
    expect(items.map((i) => i.id)).toStrictEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10']);
  });

  it('reports a line further out of place as out_of_order, in place, and replays the rest in order', async () => {
    const log = tmp.file('reorder/far.jsonl', jsonl(shuffled));
    const items = await collect({ logs: [log], reorderLines: 3 });
    expect(labels(items, R).map((l) => l.replace(/ @\d+$/, ''))).toStrictEqual([
      'req r1',
      'req r2',
      'req r3',
      // r8 pushes r5 out of the window; then r4 comes, too late.
      'req r5',
      'rej reorder/far.jsonl:8 out_of_order',
      'req r6',
      'req r7',
      'req r8',
      'req r9',
      'req r10',
    ]);
    const r = items[4] as RejectedItem;
    expect(r).toMatchObject({ kind: 'rejected', source: 'log', reason: 'out_of_order', line: 8 });
    expect(r.message).toBe(
      `timestamp ${T + 4000} (2025-01-01T00:00:04.000Z) is earlier than line 2 (${T + 5000} (2025-01-01T00:00:05.000Z)), already replayed: ` +
        "the line is further out of order than the reorder window of 3 lines; sort the log by timestamp, or give each server's log as its own input",
    );
    // A narrower window loses more.
    const narrow = await collect({ logs: [log], reorderLines: 2 });
    expect(narrow.filter((i) => i.kind === 'rejected').map((i) => i.line)).toStrictEqual([5, 6, 8]);
  });

  it('with no window every line earlier than the one before it is out of order; equal times are in order', async () => {
    const log = tmp.file('reorder/none.jsonl', jsonl([request(T + 2, 'a'), request(T + 2, 'b'), request(T + 1, 'c'), request(T + 3, 'd')]));
    expect(labels(await collect({ logs: [log], reorderLines: 0 }), R)).toStrictEqual([`req a @${T + 2}`, `req b @${T + 2}`, 'rej reorder/none.jsonl:3 out_of_order', `req d @${T + 3}`]);
  });

  it('each log has its own window, and a window spans the logs merged with webhooks', async () => {
    const x = tmp.file('reorder/x.jsonl', jsonl([request(T + 3, 'x3'), request(T + 1, 'x1')]));
    const y = tmp.file('reorder/y.jsonl', jsonl([request(T + 2, 'y2'), request(T + 0, 'y0')]));
    const hooks = tmp.file('reorder/hooks.jsonl', jsonl([mockEvent('m', T + 1)]));
    expect(labels(await collect({ logs: [x, y], webhooks: [hooks], reorderLines: 1 }))).toStrictEqual([
      `req y0 @${T}`,
      `evt m @${T + 1}`,
      `req x1 @${T + 1}`,
      `req y2 @${T + 2}`,
      `req x3 @${T + 3}`,
    ]);
  });

  it('refuses a window that is not a whole number of lines', async () => {
    expect(() => replayInputs({ logs: [], reorderLines: -1 })).toThrow(RangeError);
    expect(() => replayInputs({ logs: [], reorderLines: 1.5 })).toThrow('reorderLines must be a whole number of lines, 0 or more (got 1.5)');
  });
});

describe('stopping early', () => {
  it('a caller that stops at the first rejection (--strict) gets nothing after it', async () => {
    const log = tmp.file('strict.jsonl', jsonl([request(T + 1, 'a'), 'oops', request(T + 2, 'b')]));
    const seen: string[] = [];
    for await (const item of replayInputs({ logs: [log, log], reorderLines: 0 })) {
      seen.push(item.kind);
      if (item.kind === 'rejected') break;
    }
    expect(seen).toStrictEqual(['request', 'rejected']);
  });
});
