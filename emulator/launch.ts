/**
 * Wires options, state, dispatcher (with optional hooks) and transport into a `RunningEmulator`.
 * `startEmulator` calls this without hooks; fault injection passes its `DispatchHooks` here.
 */
import { Dispatcher, type DispatchHooks } from "./dispatcher";
import { ROUTES } from "./routes";
import { listen } from "./server";
import { createState, resolveConfig } from "./state";
import type { EmulatorOptions, RunningEmulator } from "./types";

export async function launchEmulator(opts: EmulatorOptions = {}, hooks: DispatchHooks = {}): Promise<RunningEmulator> {
  const state = createState(resolveConfig(opts));
  const transport = await listen(state, new Dispatcher(ROUTES, hooks));
  const { ledger, tokens } = state;
  return {
    url: transport.url,
    requests: transport.requests,
    orders: ledger.orders,
    ordersFor: (productNo) => ledger.orders.filter((o) => o.productNo === productNo),
    setOrderStatus: (orderIdOrNo, status) => ledger.setStatus(orderIdOrNo, status),
    revokeTokens: () => tokens.revokeAll(),
    issuedTokens: () => tokens.all(),
    clearRequests: () => {
      transport.requests.length = 0;
    },
    close: () => transport.close(),
  };
}
