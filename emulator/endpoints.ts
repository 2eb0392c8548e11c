/**
 * Endpoint names: the route IDs the dispatcher assigns (`RequestContext.endpoint`), used by hooks
 * and fault rules. The token endpoint has two names: `auth.token` (the `pp_credentials` grant and
 * anything that is not a refresh) and `auth.token_refresh` (the `refresh_token` grant).
 */
export const ENDPOINT_NAMES = [
  "auth.token",
  "auth.token_refresh",
  "pricing.product_list",
  "pricing.purchase_product_info",
  "user.billing_contact_list",
  "user.partner_list",
  "order.save",
  "order.page",
  "order.get",
  "product.instance_product_list",
  "product.detail",
  "product.product_model",
] as const;

export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** `RequestContext.endpoint` of a request whose path matches no route. */
export const UNKNOWN_ENDPOINT = "unknown";

export function isEndpointName(v: unknown): v is EndpointName {
  return typeof v === "string" && (ENDPOINT_NAMES as readonly string[]).includes(v);
}
