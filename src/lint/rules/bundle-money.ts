/**
 * What a bundle costs, for the bundle lint rules: computed exactly the way the quote table is
 * lowered (each asset's exact price, the exact sum × the multiplier rounded half-even once to minor
 * units; the saving is the sum of the singly rounded prices minus that), so what a rule says about
 * a bundle is what a quote does with it. Lint sits beside lowering, so the arithmetic is redone here
 * from src/money rather than imported from there.
 */
import { currencyExponent } from '../../money/currencies.js';
import { addDecimals, mulDecimals, parseDecimal, toMinorUnits, type Decimal } from '../../money/decimal.js';
import { formatMinor } from '../../money/format.js';
import type { Bundle, Policy } from '../../policy/model.js';

/** The price of an asset without its own when the policy has no registry and no `default_price`. */
const UNIT_PRICE: Decimal = { units: 1n, scale: 0 };

/** A bundle's line and its parts, in minor units of the policy currency. */
export interface BundleMoney {
  /** The bundle line: exact sum of its assets' prices × multiplier, rounded half-even once. */
  readonly amount: bigint;
  /** The sum of its assets' single lines, each rounded on its own. */
  readonly parts: bigint;
  /** `parts - amount`: what choosing the bundle saves (negative: the bundle costs more). */
  readonly saving: bigint;
  /** Every price came from the policy text (an asset's `price` or `default_price`), none from the unit price of 1. */
  readonly stated: boolean;
}

/** Prices of one policy's bundles, and money shown the way quotes show it. */
export interface Pricing {
  /** Minor units as people read them, with the currency: `12.00 USD`. */
  readonly format: (minor: bigint) => string;
  /** Undefined when the bundle can never be quoted: an asset without a price or outside the registry. */
  readonly bundle: (b: Bundle) => BundleMoney | undefined;
}

/** How a policy prices its bundles; undefined when the currency is not one prices can be counted in. */
export function pricing(policy: Policy): Pricing | undefined {
  const exponent = currencyExponent(policy.currency);
  if (exponent === undefined) return undefined;
  const registry = policy.assets.length > 0;
  // A default_price that does not parse was reported (M120): nothing is priced with it.
  const written = policy.defaultPrice === undefined ? undefined : (parseDecimal(policy.defaultPrice) ?? null);
  const registered = new Map<string, { price: Decimal | null | undefined; stated: boolean }>();
  for (const a of policy.assets) {
    if (registered.has(a.id)) continue;
    if (a.price !== undefined) registered.set(a.id, { price: parseDecimal(a.price) ?? null, stated: true });
    else registered.set(a.id, { price: written, stated: true });
  }
  const priceOf = (id: string): { price: Decimal | null | undefined; stated: boolean } =>
    registry ? (registered.get(id) ?? { price: undefined, stated: true }) : written === undefined ? { price: UNIT_PRICE, stated: false } : { price: written, stated: true };

  return {
    format: (minor) => formatMinor(minor, exponent, policy.currency),
    bundle: (b) => {
      const multiplier = parseDecimal(b.multiplierText);
      if (multiplier === undefined || new Set(b.assets).size !== b.assets.length) return undefined;
      let sum: Decimal = { units: 0n, scale: 0 };
      let parts = 0n;
      let stated = true;
      for (const id of b.assets) {
        const p = priceOf(id);
        if (!p.price) return undefined;
        sum = addDecimals(sum, p.price);
        parts += toMinorUnits(p.price, exponent);
        stated &&= p.stated;
      }
      const amount = toMinorUnits(mulDecimals(sum, multiplier), exponent);
      return { amount, parts, saving: parts - amount, stated };
    },
  };
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
export function quotedList(items: readonly string[]): string {
  const q = items.map((s) => `'${s}'`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]!}`;
}
