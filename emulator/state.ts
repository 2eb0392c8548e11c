/** Resolved options plus the mutable state (tokens, ledger) that every handler sees. */
import { TokenStore } from "./auth";
import { DEFAULT_BILLING_CONTACTS, DEFAULT_DEVICES, DEFAULT_SERVICES, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, SN_PATTERN } from "./data";
import { Ledger } from "./ledger";
import type { EmulatorBillingContact, EmulatorOptions, EmulatorService } from "./types";

export type ResolvedService = Required<EmulatorService>;

export interface EmulatorConfig {
  host: string;
  port: number;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  devices: ReadonlySet<string> | "any";
  billingContacts: readonly EmulatorBillingContact[];
  services: readonly ResolvedService[];
  catalogLayout: "top-level" | "under-plans";
  serviceNameKey: "name" | "serviceName";
  orderListIncludesProduct: boolean;
  errorHttpStatus: "mirror" | "always200";
  initialOrderStatus: "succeed" | "pending";
  stateFile: string | undefined;
  clock: () => number;
}

export interface EmulatorState {
  readonly config: EmulatorConfig;
  readonly tokens: TokenStore;
  readonly ledger: Ledger;
  /** clock() when the emulator started; devices count as registered 30 days before. */
  readonly startedAt: number;
}

export function resolveConfig(opts: EmulatorOptions = {}): EmulatorConfig {
  const ttl = opts.tokenTtlSeconds ?? 1800;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError("tokenTtlSeconds must be a positive integer");
  for (const c of opts.billingContacts ?? []) assertDigits(c.billingContactId, "billingContactId");
  for (const s of opts.services ?? []) assertDigits(s.serviceId, "serviceId");
  return {
    host: opts.host ?? "127.0.0.1",
    port: opts.port ?? 0,
    clientId: opts.clientId ?? EMULATOR_CLIENT_ID,
    clientSecret: opts.clientSecret ?? EMULATOR_CLIENT_SECRET,
    tokenTtlSeconds: ttl,
    devices: opts.devices === "any" ? "any" : new Set(opts.devices ?? DEFAULT_DEVICES),
    billingContacts: [...(opts.billingContacts ?? DEFAULT_BILLING_CONTACTS)],
    services: (opts.services ?? DEFAULT_SERVICES).map(resolveService),
    catalogLayout: opts.catalogLayout ?? "top-level",
    serviceNameKey: opts.serviceNameKey ?? "serviceName",
    orderListIncludesProduct: opts.orderListIncludesProduct ?? true,
    errorHttpStatus: opts.errorHttpStatus ?? "mirror",
    initialOrderStatus: opts.initialOrderStatus ?? "succeed",
    stateFile: opts.stateFile,
    clock: opts.clock ?? Date.now,
  };
}

export function createState(config: EmulatorConfig): EmulatorState {
  return {
    config,
    tokens: new TokenStore(config.clock, config.tokenTtlSeconds, config.clientId),
    ledger: new Ledger(config.stateFile),
    startedAt: config.clock(),
  };
}

/** Whether the partner account owns this product-11 SN. */
export function ownsDevice(config: EmulatorConfig, sn: string): boolean {
  return config.devices === "any" ? SN_PATTERN.test(sn) : config.devices.has(sn);
}

function resolveService(s: EmulatorService): ResolvedService {
  return {
    serviceId: s.serviceId,
    pricingServiceId: s.pricingServiceId,
    name: s.name,
    purchaseType: s.purchaseType ?? "purchase",
    billingModel: s.billingModel ?? "once",
    billingCycle: s.billingCycle ?? "once",
    price: s.price ?? 0,
    currencyCode: s.currencyCode ?? "USD",
  };
}

function assertDigits(id: string, what: string): void {
  if (!/^[1-9]\d*$/.test(id)) throw new RangeError(`${what} must be decimal digits, got ${JSON.stringify(id)}`);
}
