/**
 * Warnings for the person running `pulumi`. The dynamic-provider host has no engine log
 * connection, so they go to the host's stderr, which the engine shows with the resource.
 */

/** Sink for warnings; tests replace it to assert what the user is told. */
export let warningSink: (message: string) => void = (message) => {
  process.stderr.write(`warning: ${message}\n`);
};

/** Replaces the warning sink; returns the previous one. */
export function setWarningSink(sink: (message: string) => void): (message: string) => void {
  const previous = warningSink;
  warningSink = sink;
  return previous;
}

export function warn(message: string): void {
  warningSink(message);
}
