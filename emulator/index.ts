/**
 * Yeastar Partner Portal OpenAPI emulator: a loopback HTTP server faithful to
 * /work/shared/yeastar-partner-api.md and the Hotel Module tutorial. See docs/EMULATOR.md.
 */
import { launchEmulator } from "./launch";
import type { EmulatorOptions, RunningEmulator } from "./types";

export {
  DEFAULT_BILLING_CONTACTS,
  DEFAULT_DEVICES,
  DEFAULT_SERVICES,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  HOTEL_MODULE_NAME,
  HOTEL_MODULE_SERVICE_ID,
  HOTEL_PMS_NAME,
  HOTEL_PMS_SERVICE_ID,
  PRODUCTS,
  SECOND_BILLING_CONTACT_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  TUTORIAL_SN,
} from "./data";
export { ENDPOINT_NAMES, type EndpointName } from "./endpoints";
export { FAULT_KINDS, FaultRuleError, parseFaultRules } from "./fault-rules";
export { FIRST_INSTANCE_ID, FIRST_ORDER_ID } from "./ledger";
export { ORDER_STATUSES } from "./types";
export type {
  EmulatorBillingContact,
  EmulatorOptions,
  EmulatorOrder,
  EmulatorService,
  Fault,
  FaultControl,
  FaultKind,
  FaultRule,
  FiredFault,
  OrderStatus,
  RecordedRequest,
  RunningEmulator,
} from "./types";

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return launchEmulator(opts);
}
