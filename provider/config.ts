/**
 * Provider settings from stack config (read in `configure`, so secrets never enter the
 * serialized provider) with environment fallbacks. Explicit stack config beats the environment.
 */
import { z } from "zod";
import { ConfigError } from "./errors";

export const DEFAULT_BASE_URL = "https://openapi.partner.yeastar.com";
export const DEFAULT_MAX_CONCURRENCY = 8;
const MAX_CONCURRENCY_LIMIT = 64;
export const DEFAULT_MAX_ORDERS_PER_RUN = 20;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_ORDERS_LIMIT = 100_000;

/** One configuration setting: its stack key, environment fallback, default and secrecy. */
interface Setting {
  key: string;
  env: string;
  secret: boolean;
  describe: string;
  example: string;
}

export const SETTINGS = {
  clientId: {
    key: "yeastar:clientId",
    env: "YEASTAR_CLIENT_ID",
    secret: false,
    describe: "the Client ID from Partner Portal → System → API",
    example: "<client-id>",
  },
  clientSecret: {
    key: "yeastar:clientSecret",
    env: "YEASTAR_CLIENT_SECRET",
    secret: true,
    describe: "the Client Secret from Partner Portal → System → API",
    example: "<client-secret>",
  },
  baseUrl: { key: "yeastar:baseUrl", env: "YEASTAR_BASE_URL", secret: false, describe: "the Partner API base URL", example: DEFAULT_BASE_URL },
  purchasing: {
    key: "yeastar:purchasing",
    env: "YEASTAR_PURCHASING",
    secret: false,
    describe: "whether `pulumi up` may place orders against the real Partner API",
    example: "enabled",
  },
  maxOrdersPerRun: {
    key: "yeastar:maxOrdersPerRun",
    env: "YEASTAR_MAX_ORDERS_PER_RUN",
    secret: false,
    describe: "the most orders one run may place",
    example: String(20),
  },
  requestTimeoutMs: {
    key: "yeastar:requestTimeoutMs",
    env: "YEASTAR_REQUEST_TIMEOUT_MS",
    secret: false,
    describe: "how long to wait for each Partner API answer, in milliseconds",
    example: "30000",
  },
  maxConcurrency: {
    key: "yeastar:maxConcurrency",
    env: "YEASTAR_MAX_CONCURRENCY",
    secret: false,
    describe: "the most Partner API calls in flight at once",
    example: String(DEFAULT_MAX_CONCURRENCY),
  },
} satisfies Record<string, Setting>;

/** The resolved settings the client needs. */
export interface ProviderSettings {
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  maxConcurrency: number;
  requestTimeoutMs: number;
  /** Orders may be placed: opted in with yeastar:purchasing, or implied for the loopback emulator. */
  purchasingEnabled: boolean;
  maxOrdersPerRun: number;
}

/** A source of stack config values by full key (`yeastar:clientId`). */
export type ConfigLookup = (key: string) => string | undefined;

function setCommand(s: Setting): string {
  return `pulumi config set ${s.secret ? "--secret " : ""}${s.key} ${s.example}`;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** True for hosts that never leave this machine (the emulator). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Checks a base URL: https anywhere, http only on loopback; returns it without a trailing slash. */
export function normalizeBaseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${source} ${JSON.stringify(raw)} is not a URL; use ${DEFAULT_BASE_URL} (the default) or the emulator's http://127.0.0.1:<port>`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `${source} ${JSON.stringify(raw)} uses http:// to a remote host; credentials would travel unencrypted. Use https:// (http:// is allowed only for loopback hosts such as the emulator)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${source} ${JSON.stringify(raw)} must be an https:// URL such as ${DEFAULT_BASE_URL}`);
  }
  if (url.username || url.password)
    throw new ConfigError(`${source} must not contain credentials; set ${SETTINGS.clientId.key} and ${SETTINGS.clientSecret.key} instead`);
  if (url.search || url.hash)
    throw new ConfigError(`${source} ${JSON.stringify(raw)} must not have a query or fragment; use the bare base URL such as ${DEFAULT_BASE_URL}`);
  return url.toString().replace(/\/+$/, "");
}

const nonBlank = z.string().transform((s) => s.trim());

/**
 * Resolves the settings; a missing or blank credential fails with the exact command to run.
 * @throws ConfigError
 */
export function resolveSettings(lookup: ConfigLookup, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const pick = (s: Setting): { value: string; source: string } | undefined => {
    const fromConfig = lookup(s.key);
    if (fromConfig !== undefined) return { value: fromConfig, source: `stack config ${s.key}` };
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: `environment variable ${s.env}` };
    return undefined;
  };
  const required = (s: Setting): string => {
    const found = pick(s);
    if (!found) throw new ConfigError(`Missing ${s.describe}: run \`${setCommand(s)}\` (or set ${s.env} in the environment)`);
    const value = nonBlank.parse(found.value);
    if (value === "") throw new ConfigError(`${found.source} is blank; set ${s.describe} with \`${setCommand(s)}\``);
    return value;
  };
  const clientId = required(SETTINGS.clientId);
  const clientSecret = required(SETTINGS.clientSecret);
  const base = pick(SETTINGS.baseUrl);
  const baseUrl = base ? normalizeBaseUrl(base.value.trim(), base.source) : DEFAULT_BASE_URL;
  const wholeNumber = (setting: Setting, min: number, max: number, fallback: number): number => {
    const found = pick(setting);
    if (!found) return fallback;
    const text = found.value.trim();
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new ConfigError(
        `${found.source} ${JSON.stringify(found.value)} must be a whole number from ${min} to ${max}; for example \`${setCommand(setting)}\``,
      );
    }
    return Number(text);
  };
  const maxConcurrency = wholeNumber(SETTINGS.maxConcurrency, 1, MAX_CONCURRENCY_LIMIT, DEFAULT_MAX_CONCURRENCY);
  const requestTimeoutMs = wholeNumber(SETTINGS.requestTimeoutMs, 1000, 600_000, DEFAULT_REQUEST_TIMEOUT_MS);
  const maxOrdersPerRun = wholeNumber(SETTINGS.maxOrdersPerRun, 0, MAX_ORDERS_LIMIT, DEFAULT_MAX_ORDERS_PER_RUN);
  const purchasing = pick(SETTINGS.purchasing);
  let purchasingEnabled = isLoopbackHost(new URL(baseUrl).hostname);
  if (purchasing) {
    const value = purchasing.value.trim().toLowerCase();
    if (value !== "enabled" && value !== "disabled") {
      throw new ConfigError(
        `${purchasing.source} ${JSON.stringify(purchasing.value)} must be "enabled" or "disabled"; to let \`pulumi up\` buy, run \`pulumi config set yeastar:purchasing enabled\``,
      );
    }
    purchasingEnabled = value === "enabled";
  }
  return { clientId, clientSecret, baseUrl, maxConcurrency, requestTimeoutMs, purchasingEnabled, maxOrdersPerRun };
}
