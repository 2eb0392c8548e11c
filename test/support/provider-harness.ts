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

export async function startHarness(options: EmulatorOptions = {}, config: Record<string, string> = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const provider = new HotelModuleProvider(new SessionHolder({ timeoutMs: 5000, sleep: async () => undefined }));
  const values: Record<string, string> = {
    "yeastar:clientId": EMULATOR_CLIENT_ID,
    "yeastar:clientSecret": EMULATOR_CLIENT_SECRET,
    "yeastar:baseUrl": emulator.url,
    ...config,
  };
  await provider.configure({ config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? "" } });
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
