/** Starts an emulator and a freshly configured provider talking to it over real HTTP. */
import { startEmulator, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { setWarningSink } from "../../provider/diagnostics";
import { HotelModuleProvider } from "../../provider/provider";
import { SessionHolder } from "../../provider/session";

export interface Harness {
  emulator: RunningEmulator;
  provider: HotelModuleProvider;
  warnings: string[];
  /** Order POSTs the emulator received. */
  orderPosts(): number;
  close(): Promise<void>;
}

/** `config` overrides the emulator's valid config; `null` removes a key. */
export async function startHarness(options: EmulatorOptions = {}, config: Record<string, string | null> = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const provider = new HotelModuleProvider(new SessionHolder({ timeoutMs: 5000, sleep: async () => undefined }));
  const values: Record<string, string | null> = {
    "yeastar:clientId": EMULATOR_CLIENT_ID,
    "yeastar:clientSecret": EMULATOR_CLIENT_SECRET,
    "yeastar:baseUrl": emulator.url,
    // Fleets in tests exceed the default budget of 20 orders per run; spend-guard tests lower it.
    "yeastar:maxOrdersPerRun": "1000",
    ...config,
  };
  const get = (key: string): string | undefined => values[key] ?? undefined;
  await provider.configure({ config: { get, require: (key: string) => get(key) ?? "" } });
  const warnings: string[] = [];
  const previous = setWarningSink((message) => warnings.push(message));
  return {
    emulator,
    provider,
    warnings,
    orderPosts: () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/order/openapi/order/v1/save").length,
    close: async () => {
      setWarningSink(previous);
      await emulator.close();
    },
  };
}

/** Places an order directly over HTTP, as a person would in the portal (no provider involved). */
export async function placeOrderByHand(
  emulator: RunningEmulator,
  productNo: string,
  serviceId: string,
  billingId: string,
  options: { poNumber?: string; clientSecret?: string } = {},
): Promise<string> {
  const { poNumber, clientSecret = EMULATOR_CLIENT_SECRET } = options;
  const tokenRes = await fetch(`${emulator.url}/auth/openapi/v1/oauth/token`, {
    method: "POST",
    headers: { "User-Agent": "OpenAPI", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: clientSecret }).toString(),
  });
  const token = ((await tokenRes.json()) as { result: { token: string } }).result.token;
  const body = `{"operationType":"purchase_service","productId":11,"productNo":"${productNo}","billingId":${billingId},${poNumber ? `"poNumber":"${poNumber}",` : ""}"serviceList":[{"serviceType":"service","serviceId":${serviceId},"purchaseType":"purchase","billingModel":"once","billingCycle":"once","multiCycle":0}]}`;
  const res = await fetch(`${emulator.url}/order/openapi/order/v1/save`, {
    method: "POST",
    headers: { "User-Agent": "OpenAPI", "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body,
  });
  const envelope = (await res.json()) as { code: string; result: { orderId: string } };
  if (envelope.code !== "success") throw new Error(`order by hand failed: ${JSON.stringify(envelope)}`);
  return envelope.result.orderId;
}
