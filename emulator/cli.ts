/**
 * `npm run emulator`: starts the emulator from environment variables.
 *   YEASTAR_EMULATOR_PORT                  port (default 0 = ephemeral)
 *   YEASTAR_EMULATOR_DEVICES               comma-separated SNs, or * for any 12-char [0-9A-Z] SN
 *   YEASTAR_EMULATOR_STATE_FILE            persist orders to this JSON file
 *   YEASTAR_EMULATOR_INITIAL_ORDER_STATUS  succeed (default) or pending
 *   YEASTAR_EMULATOR_LATENCY_MS            milliseconds added to every API request (default 0)
 *   YEASTAR_EMULATOR_FAULTS                JSON: one FaultRule or an array of them (see docs/EMULATOR.md)
 * The first stdout line is always `Yeastar Partner API emulator listening on <url>`.
 */
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, parseFaultRules, startEmulator, type EmulatorOptions } from "./index";

function optionsFromEnv(env: NodeJS.ProcessEnv): EmulatorOptions {
  const opts: EmulatorOptions = {};
  const port = env["YEASTAR_EMULATOR_PORT"];
  if (port !== undefined && port !== "") {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`YEASTAR_EMULATOR_PORT must be a port number, got ${JSON.stringify(port)}`);
    opts.port = Number(port);
  }
  const devices = env["YEASTAR_EMULATOR_DEVICES"];
  if (devices !== undefined && devices.trim() !== "") {
    opts.devices =
      devices.trim() === "*"
        ? "any"
        : devices
            .split(",")
            .map((d) => d.trim())
            .filter((d) => d !== "");
  }
  const stateFile = env["YEASTAR_EMULATOR_STATE_FILE"];
  if (stateFile) opts.stateFile = stateFile;
  const status = env["YEASTAR_EMULATOR_INITIAL_ORDER_STATUS"];
  if (status !== undefined && status !== "") {
    if (status !== "succeed" && status !== "pending")
      throw new Error(`YEASTAR_EMULATOR_INITIAL_ORDER_STATUS must be succeed or pending, got ${JSON.stringify(status)}`);
    opts.initialOrderStatus = status;
  }
  const latency = env["YEASTAR_EMULATOR_LATENCY_MS"];
  if (latency !== undefined && latency !== "") {
    if (!/^\d+$/.test(latency) || Number(latency) > 2 ** 31 - 1)
      throw new Error(`YEASTAR_EMULATOR_LATENCY_MS must be a non-negative integer, got ${JSON.stringify(latency)}`);
    opts.latencyMs = Number(latency);
  }
  const faults = env["YEASTAR_EMULATOR_FAULTS"];
  if (faults !== undefined && faults.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(faults);
    } catch (e) {
      throw new Error(`YEASTAR_EMULATOR_FAULTS is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    opts.faults = parseFaultRules(parsed, "YEASTAR_EMULATOR_FAULTS");
  }
  return opts;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(optionsFromEnv(process.env));
  process.stdout.write(`Yeastar Partner API emulator listening on ${emulator.url}\n`);
  process.stdout.write(`YEASTAR_BASE_URL=${emulator.url}\n`);
  process.stdout.write(`YEASTAR_CLIENT_ID=${EMULATOR_CLIENT_ID}\n`);
  process.stdout.write(`YEASTAR_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
