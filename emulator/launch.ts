/**
 * Wires options, state, dispatcher (with hooks) and transport into a `RunningEmulator`.
 * Fault injection (`faults`, `latencyMs`) is always installed; hooks passed here run after it in
 * `beforeHandle` (only when no fault replaced the answer) and before it in `afterHandle`.
 */
import { handleAdmin } from "./admin";
import { Dispatcher, RequestCounter, type DispatchHooks } from "./dispatcher";
import { FaultInjector } from "./faults";
import { ROUTES } from "./routes";
import { listen } from "./server";
import { createState, resolveConfig } from "./state";
import type { EmulatorOptions, RunningEmulator } from "./types";

export async function launchEmulator(opts: EmulatorOptions = {}, hooks: DispatchHooks = {}): Promise<RunningEmulator> {
  const state = createState(resolveConfig(opts));
  const { ledger, tokens } = state;
  const counter = new RequestCounter();
  const faults = new FaultInjector({ counter, tokens, clock: state.config.clock, latencyMs: opts.latencyMs ?? 0 }, opts.faults ?? []);
  const dispatcher = new Dispatcher(ROUTES, composeHooks(faults.hooks, hooks), counter);
  const revokeTokens = (): void => tokens.revokeAll();
  const transport = await listen(state, dispatcher, (req) => handleAdmin({ faults, ledger, revokeTokens }, req));
  return {
    url: transport.url,
    requests: transport.requests,
    orders: ledger.orders,
    ordersFor: (productNo) => ledger.orders.filter((o) => o.productNo === productNo),
    setOrderStatus: (orderIdOrNo, status) => ledger.setStatus(orderIdOrNo, status),
    revokeTokens,
    issuedTokens: () => tokens.all(),
    clearRequests: () => {
      transport.requests.length = 0;
    },
    faults,
    close: () => {
      faults.close();
      return transport.close();
    },
  };
}

/** `outer` wraps `inner`: outer's beforeHandle runs first, outer's afterCommit/afterHandle last. */
function composeHooks(outer: DispatchHooks, inner: DispatchHooks): DispatchHooks {
  return {
    beforeHandle: async (ctx) => (await outer.beforeHandle?.(ctx)) ?? (await inner.beforeHandle?.(ctx)),
    afterCommit: async (ctx, reply) => {
      const r = (await inner.afterCommit?.(ctx, reply)) ?? reply;
      return (await outer.afterCommit?.(ctx, r)) ?? r;
    },
    afterHandle: async (ctx, reply) => {
      const r = (await inner.afterHandle?.(ctx, reply)) ?? reply;
      return (await outer.afterHandle?.(ctx, r)) ?? r;
    },
  };
}
