/** Fixture loading shared by the payments tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isFailure, type ParseResult, type PaymentEvent } from '../../src/payments/event.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The raw text of a fixture, exactly as stored (signatures are computed over these bytes). */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A fixture, parsed. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

/** The event of a successful parse (fails the test otherwise). */
export function eventOf(r: ParseResult): PaymentEvent {
  if (isFailure(r)) expect.fail(`expected an event, got ${r.outcome}: ${r.message}`);
  return r.event;
}
