/**
 * Public types of the Yeastar Partner API emulator.
 *
 * Every ID is a `string` in TypeScript; the emulator writes each ID to the wire the way the
 * reference documents it (bare JSON integers for `serviceId`/`planId`/`billingId`, strings for
 * `billingContactId`, order IDs, …).
 */

/** `orderStatus` values. The reference lists the first six; "confirming" is a guess for the cut-off "con…". */
export type OrderStatus = "succeed" | "failed" | "pending" | "invalid" | "cancelled" | "refunded" | "confirming";

export const ORDER_STATUSES: readonly OrderStatus[] = ["succeed", "failed", "pending", "invalid", "cancelled", "refunded", "confirming"];

/** A billing contact as `billing_contact_list` returns it (section 7, Contact_Info; all strings). */
export interface EmulatorBillingContact {
  billingContactId: string; // 19-digit decimal
  city: string;
  company: string;
  country: string;
  emailAddress: string;
  firstName: string;
  lastName: string;
  phoneNumber: string;
  remark: string;
  stateProvince: string;
  street: string;
  taxNum: string;
  zipCode: string;
}

/** An add-on service of product 11 as `purchase_product_info` offers it. */
export interface EmulatorService {
  serviceId: string; // decimal digits, written as a bare JSON integer
  pricingServiceId: string;
  name: string;
  purchaseType?: "purchase" | "trial"; // default "purchase"
  billingModel?: "once" | "recurring"; // default "once"
  billingCycle?: "once" | "monthly" | "annually"; // default "once"
  price?: number; // default 0
  currencyCode?: string; // default "USD"
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  devices?: string[] | "any";
  billingContacts?: EmulatorBillingContact[];
  services?: EmulatorService[];
  catalogLayout?: "top-level" | "under-plans";
  serviceNameKey?: "name" | "serviceName";
  orderListIncludesProduct?: boolean;
  errorHttpStatus?: "mirror" | "always200";
  initialOrderStatus?: "succeed" | "pending";
  stateFile?: string;
  clock?: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string; // without the query string
  query: Record<string, string>;
  headers: Record<string, string>; // lower-cased names
  body: string;
  status: number; // HTTP status sent (0 until answered, or if the connection was dropped)
  code: string; // envelope code sent ("" until answered)
  at: number; // clock() at arrival
}

export interface EmulatorOrder {
  orderId: string;
  orderNo: string;
  instanceId: string;
  transactionNo: string;
  productId: number;
  productNo: string;
  billingId: string;
  serviceIds: string[];
  serviceNames: string[];
  operationType: string;
  poNumber: string;
  orderStatus: OrderStatus;
  createTime: number;
  rawBody: string;
  requestId: string;
}

export interface RunningEmulator {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly orders: EmulatorOrder[];
  ordersFor(productNo: string): EmulatorOrder[];
  setOrderStatus(orderIdOrNo: string, status: OrderStatus): void;
  revokeTokens(): void;
  issuedTokens(): string[];
  clearRequests(): void;
  close(): Promise<void>;
}
