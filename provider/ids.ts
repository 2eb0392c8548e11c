/**
 * Yeastar IDs (billing contact, service, plan, order) are 64-bit integers, mostly above 2^53.
 * We keep them as decimal strings everywhere in TypeScript and state, and turn them into
 * `bigint` only when writing a JSON body that needs a bare number.
 */
import { z } from "zod";

/** Largest value of a Java `long`, the documented type of `billingId`. */
const MAX_LONG = 9223372036854775807n;

/** True for a positive decimal integer string that fits a Java `long`, without leading zeros. */
export function isYeastarId(text: string): boolean {
  return /^[1-9]\d{0,18}$/.test(text) && BigInt(text) <= MAX_LONG;
}

/** The bare JSON number for an ID string; `stringifyJson` writes it digit for digit. */
export function idToJsonNumber(id: string): bigint {
  if (!isYeastarId(id)) throw new RangeError(`not a Yeastar ID: ${JSON.stringify(id)}`);
  return BigInt(id);
}

/**
 * An ID as the API sends it: a string of digits, a bare integer (bigint when above 2^53),
 * or a safe integer number. Always yields the decimal string.
 */
export const apiId = z
  .union([
    z.string().regex(/^\d+$/, "expected a string of digits"),
    z.bigint().nonnegative(),
    z.number().int().nonnegative().refine(Number.isSafeInteger, "integer too large to be exact"),
  ])
  .transform((v) => v.toString());

/** Like `apiId` but for free-form identifiers (order numbers like "AW3327600636501164032"). */
export const apiText = z.union([z.string(), z.bigint(), z.number()]).transform((v) => v.toString());
