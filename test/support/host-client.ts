/**
 * Drives the SDK's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC
 * the way the Pulumi engine does: spawn it in a fresh process, read the port it prints, connect a
 * `ResourceProvider` client, and send the engine's requests as protobuf messages.
 *
 * `@grpc/grpc-js`, `google-protobuf` and the generated `proto/*_pb` modules are dependencies of
 * @pulumi/pulumi, not of this package, so they are loaded with `require` from @pulumi/pulumi's own
 * location (the same module instances the host uses) and typed by the small local interfaces
 * below; nothing typed `any` leaves this module.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";

/** A JSON-like value as `google.protobuf.Struct` carries it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---- local types for the parts of grpc-js / google-protobuf / provider_pb this module uses ----

interface ProtoStruct {
  toJavaScript(): JsonObject;
}
interface StructModule {
  Struct: { fromJavaScript(value: JsonObject): ProtoStruct };
}
interface ProtoMap {
  set(key: string, value: string): unknown;
}

interface ConfigureRequestMsg {
  setArgs(value: ProtoStruct): this;
  getVariablesMap(): ProtoMap;
  setAcceptsecrets(value: boolean): this;
  setAcceptresources(value: boolean): this;
  setSendsOldInputs(value: boolean): this;
  setSendsOldInputsToDelete(value: boolean): this;
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
}
interface ConfigureResponseMsg {
  getAcceptsecrets(): boolean;
  getSupportspreview(): boolean;
}
interface CheckRequestMsg {
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setOlds(value: ProtoStruct): this;
  setNews(value: ProtoStruct): this;
  setRandomseed(value: Uint8Array): this;
}
interface CheckFailureMsg {
  getProperty(): string;
  getReason(): string;
}
interface CheckResponseMsg {
  getInputs(): ProtoStruct | undefined;
  getFailuresList(): CheckFailureMsg[];
}
interface DiffRequestMsg {
  setId(value: string): this;
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setOlds(value: ProtoStruct): this;
  setNews(value: ProtoStruct): this;
  setOldInputs(value: ProtoStruct): this;
}
interface DiffResponseMsg {
  getChanges(): number;
  getReplacesList(): string[];
  getDeletebeforereplace(): boolean;
}
interface CreateRequestMsg {
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setProperties(value: ProtoStruct): this;
  setTimeout(value: number): this;
  setPreview(value: boolean): this;
}
interface CreateResponseMsg {
  getId(): string;
  getProperties(): ProtoStruct | undefined;
}
interface ReadRequestMsg {
  setId(value: string): this;
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setProperties(value: ProtoStruct): this;
  setInputs(value: ProtoStruct): this;
}
interface ReadResponseMsg {
  getId(): string;
  getProperties(): ProtoStruct | undefined;
  getInputs(): ProtoStruct | undefined;
}
interface UpdateRequestMsg {
  setId(value: string): this;
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setOlds(value: ProtoStruct): this;
  setNews(value: ProtoStruct): this;
  setOldInputs(value: ProtoStruct): this;
  setTimeout(value: number): this;
  setPreview(value: boolean): this;
}
interface UpdateResponseMsg {
  getProperties(): ProtoStruct | undefined;
}
interface DeleteRequestMsg {
  setId(value: string): this;
  setUrn(value: string): this;
  setName(value: string): this;
  setType(value: string): this;
  setProperties(value: ProtoStruct): this;
  setOldInputs(value: ProtoStruct): this;
  setTimeout(value: number): this;
}

interface ProviderPbModule {
  ConfigureRequest: new () => ConfigureRequestMsg;
  CheckRequest: new () => CheckRequestMsg;
  DiffRequest: new () => DiffRequestMsg;
  DiffResponse: { DiffChanges: { DIFF_UNKNOWN: number; DIFF_NONE: number; DIFF_SOME: number } };
  CreateRequest: new () => CreateRequestMsg;
  ReadRequest: new () => ReadRequestMsg;
  UpdateRequest: new () => UpdateRequestMsg;
  DeleteRequest: new () => DeleteRequestMsg;
}

/** The error grpc-js hands to a unary callback. */
export interface GrpcError extends Error {
  code: number;
  details: string;
}
type Unary<Req, Res> = (request: Req, callback: (error: GrpcError | null, response: Res) => void) => unknown;

interface ResourceProviderClientLike {
  configure: Unary<ConfigureRequestMsg, ConfigureResponseMsg>;
  check: Unary<CheckRequestMsg, CheckResponseMsg>;
  diff: Unary<DiffRequestMsg, DiffResponseMsg>;
  create: Unary<CreateRequestMsg, CreateResponseMsg>;
  read: Unary<ReadRequestMsg, ReadResponseMsg>;
  update: Unary<UpdateRequestMsg, UpdateResponseMsg>;
  delete: Unary<DeleteRequestMsg, unknown>;
  waitForReady(deadline: number, callback: (error?: Error) => void): void;
  close(): void;
}
interface ProviderGrpcModule {
  ResourceProviderClient: new (address: string, credentials: unknown) => ResourceProviderClientLike;
}
interface GrpcModule {
  credentials: { createInsecure(): unknown };
}

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = pulumiRequire("@grpc/grpc-js") as GrpcModule;
const structpb = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as StructModule;
const providerpb = pulumiRequire("./proto/provider_pb") as ProviderPbModule;
const providerGrpc = pulumiRequire("./proto/provider_grpc_pb") as ProviderGrpcModule;

/** The host program the engine starts for `pulumi-nodejs:dynamic` resources. */
export const DYNAMIC_PROVIDER_HOST = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "dynamic-provider", "index.js");

export const DiffChanges = providerpb.DiffResponse.DiffChanges;

/** The secret signature the engine wraps secret config values in (`rpc.specialSecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export function secret(value: string): JsonObject {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** Struct conversion that tolerates `undefined` values the way the engine's marshalling does (drops them). */
function struct(value: Record<string, unknown>): ProtoStruct {
  return structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as JsonObject);
}
function plain(value: ProtoStruct | undefined): JsonObject {
  return value ? value.toJavaScript() : {};
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` */
export function urnOf(stack: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}
function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: parts[2] ?? "", name: parts[3] ?? "" };
}

export interface CheckResult {
  inputs: JsonObject;
  failures: { property: string; reason: string }[];
}
export interface DiffResult {
  changes: number;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface HostOptions {
  /** Working directory of the host (the engine uses the project directory). */
  cwd: string;
  /** The engine address argument. */
  engineAddress: string;
  /** The child's environment (the caller decides what leaks in). */
  env: NodeJS.ProcessEnv;
}

/** A running dynamic-provider host and a connected ResourceProvider client. */
export class DynamicProviderHost {
  stdout = "";
  stderr = "";
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly client: ResourceProviderClientLike,
  ) {}

  /** Spawns the host, waits for the port on its first stdout line, connects the client. */
  static async start(options: HostOptions): Promise<DynamicProviderHost> {
    const child = spawn(process.execPath, [DYNAMIC_PROVIDER_HOST, options.engineAddress], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dynamic-provider host printed no port within 10 s; stderr: ${stderr}`)), 10_000);
      const onData = (chunk: string): void => {
        stdout += chunk;
        const line = /^(\d+)\r?\n/.exec(stdout);
        if (line) {
          clearTimeout(timer);
          child.stdout?.off("data", onData);
          resolve(Number(line[1]));
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", (chunk: string) => (stderr += chunk));
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`dynamic-provider host exited (code ${code}, signal ${signal}) before printing its port; stderr: ${stderr}`));
      });
    });
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())));
    const host = new DynamicProviderHost(child, port, client);
    host.stdout = stdout;
    host.stderr = stderr;
    child.stdout?.on("data", (chunk: string) => (host.stdout += chunk));
    child.stderr?.on("data", (chunk: string) => (host.stderr += chunk));
    child.once("exit", (code, signal) => (host.exit = { code, signal }));
    return host;
  }

  private call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      method.call(this.client, request, (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  /**
   * Configure as the engine sends it to the default `pulumi-nodejs` provider: `args` holds the
   * whole stack config under full keys, secrets wrapped in the secret signature object;
   * `variables` holds the same values unwrapped under `pulumi-nodejs:config:<key>`.
   */
  async configure(
    args: Record<string, JsonValue>,
    provider = { urn: "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default", type: "pulumi:providers:pulumi-nodejs", name: "default" },
  ): Promise<{ acceptSecrets: boolean }> {
    const req = new providerpb.ConfigureRequest()
      .setArgs(struct(args))
      .setAcceptsecrets(true)
      .setAcceptresources(true)
      .setSendsOldInputs(true)
      .setSendsOldInputsToDelete(true)
      .setUrn(provider.urn)
      .setName(provider.name)
      .setType(provider.type);
    const variables = req.getVariablesMap();
    for (const [key, value] of Object.entries(args)) {
      const unwrapped = value !== null && typeof value === "object" && !Array.isArray(value) && value[SECRET_SIG_KEY] === SECRET_SIG ? value.value : value;
      variables.set(`pulumi-nodejs:config:${key}`, typeof unwrapped === "string" ? unwrapped : JSON.stringify(unwrapped));
    }
    const res = await this.call(this.client.configure, req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.CheckRequest()
      .setUrn(urn)
      .setName(name)
      .setType(type)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setRandomseed(new Uint8Array(32));
    const res = await this.call(this.client.check, req);
    return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async diff(urn: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>, oldInputs: Record<string, unknown>): Promise<DiffResult> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.DiffRequest()
      .setId(id)
      .setUrn(urn)
      .setName(name)
      .setType(type)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setOldInputs(struct(oldInputs));
    const res = await this.call(this.client.diff, req);
    return { changes: res.getChanges(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async create(urn: string, properties: Record<string, unknown>): Promise<{ id: string; properties: JsonObject }> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.CreateRequest().setUrn(urn).setName(name).setType(type).setProperties(struct(properties)).setTimeout(0).setPreview(false);
    const res = await this.call(this.client.create, req);
    return { id: res.getId(), properties: plain(res.getProperties()) };
  }

  async read(
    urn: string,
    id: string,
    properties: Record<string, unknown>,
    inputs: Record<string, unknown>,
  ): Promise<{ id: string; properties: JsonObject; inputs: JsonObject | undefined }> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.ReadRequest().setId(id).setUrn(urn).setName(name).setType(type).setProperties(struct(properties)).setInputs(struct(inputs));
    const res = await this.call(this.client.read, req);
    const returnedInputs = res.getInputs();
    return { id: res.getId(), properties: plain(res.getProperties()), inputs: returnedInputs ? returnedInputs.toJavaScript() : undefined };
  }

  async update(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs: Record<string, unknown>,
  ): Promise<{ properties: JsonObject }> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.UpdateRequest()
      .setId(id)
      .setUrn(urn)
      .setName(name)
      .setType(type)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setOldInputs(struct(oldInputs))
      .setTimeout(0)
      .setPreview(false);
    const res = await this.call(this.client.update, req);
    return { properties: plain(res.getProperties()) };
  }

  async delete(urn: string, id: string, properties: Record<string, unknown>, oldInputs: Record<string, unknown>): Promise<void> {
    const { type, name } = parseUrn(urn);
    const req = new providerpb.DeleteRequest()
      .setId(id)
      .setUrn(urn)
      .setName(name)
      .setType(type)
      .setProperties(struct(properties))
      .setOldInputs(struct(oldInputs))
      .setTimeout(0);
    await this.call(this.client.delete, req);
  }

  /** Closes the client and kills the host (SIGKILL: the engine kills plugins, too), waiting for it to exit. */
  async kill(): Promise<void> {
    this.client.close();
    if (this.exit) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }
}

/** The parent's environment without Yeastar settings or Pulumi engine settings. */
export function cleanEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(YEASTAR_|PULUMI_)/.test(key)) continue;
    out[key] = value;
  }
  return out;
}
