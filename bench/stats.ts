/** Small statistics and request classification for the fleet benchmark. */
import type { RecordedRequest } from "../emulator";

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const ENDPOINTS: Record<string, string> = {
  "POST /auth/openapi/v1/oauth/token": "token",
  "GET /pricing/openapi/purchase/v1/purchase_product_info": "offer",
  "GET /user/openapi/user/v1/client/billing_contact_list": "billing",
  "GET /order/openapi/order/v1/page": "page",
  "POST /order/openapi/order/v1/save": "order",
};

/** Requests by kind: token, offer, billing, page, order, details (Get Order Details), or the path. */
export function tally(requests: readonly RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const kind = ENDPOINTS[`${r.method} ${r.path}`] ?? (r.path.startsWith("/order/openapi/order/v1/get/") ? "details" : `${r.method} ${r.path}`);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** `{order: 100, token: 1}` → "order 100, token 1" (kinds in a fixed order). */
export function describeTally(counts: Record<string, number>): string {
  const order = ["order", "token", "offer", "billing", "page", "details"];
  const keys = Object.keys(counts).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return keys.length === 0 ? "none" : keys.map((k) => `${k} ${counts[k]}`).join(", ");
}
