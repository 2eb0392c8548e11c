/** pulumi-yeastar-hotel-module: buy and track the Yeastar Hotel Module licence with Pulumi. */
export { HotelModuleLicense } from "./resource";
export type { HotelModuleLicenseArgs } from "./resource";
export type { LicenseOutputs as HotelModuleLicenseOutputs } from "./outputs";
export { PartnerApiError, ConfigError, ResolutionError } from "./errors";
export type { PartnerApiFailureKind } from "./errors";
