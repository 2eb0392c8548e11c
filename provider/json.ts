/**
 * Lossless JSON for the Partner API.
 *
 * Yeastar IDs are 19-digit integers (e.g. 3197218168379846218) above 2^53, which `JSON.parse`
 * silently rounds. This parser keeps every integer literal that a double cannot hold exactly as a
 * `bigint`, and the writer emits `bigint` values as bare digits, so IDs survive digit for digit.
 */

/** A JSON value as this module parses it: unsafe integers are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Thrown for text that is not JSON; the message names the offset, never echoes the whole text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = "JsonSyntaxError";
  }
}

const INTEGER = /^-?(0|[1-9]\d*)$/;

/** Parses JSON text, keeping integers beyond Number.MAX_SAFE_INTEGER exact as `bigint`. */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.parseValue();
  parser.skipWhitespace();
  if (parser.pos !== text.length) throw new JsonSyntaxError("unexpected trailing characters", parser.pos);
  return value;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  parseValue(): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.parseObject();
      case "[":
        return this.parseArray();
      case '"':
        return this.parseString();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.parseNumber();
        throw new JsonSyntaxError(c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`, this.pos);
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    throw new JsonSyntaxError(`invalid literal, expected ${word}`, this.pos);
  }

  private parseObject(): { [key: string]: JsonValue } {
    const result: { [key: string]: JsonValue } = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError("expected a property name", this.pos);
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") throw new JsonSyntaxError("expected ':'", this.pos);
      this.pos++;
      this.skipWhitespace();
      // defineProperty keeps a "__proto__" key as data instead of changing the prototype.
      Object.defineProperty(result, key, { value: this.parseValue(), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "}") return result;
      if (next !== ",") throw new JsonSyntaxError("expected ',' or '}'", this.pos - 1);
    }
  }

  private parseArray(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      result.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === "]") return result;
      if (next !== ",") throw new JsonSyntaxError("expected ',' or ']'", this.pos - 1);
    }
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let simple = true;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break; // "
      if (c === 0x5c) {
        simple = false;
        i += 2;
        continue;
      }
      if (c < 0x20) throw new JsonSyntaxError("control character in string", i);
      i++;
    }
    if (i >= t.length) throw new JsonSyntaxError("unterminated string", start);
    this.pos = i + 1;
    const raw = t.slice(start, i + 1);
    if (simple) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string; // escapes only; no numbers involved
    } catch {
      throw new JsonSyntaxError("invalid escape in string", start);
    }
  }

  private parseNumber(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t[i] === "-") i++;
    while (i < t.length && /[0-9.eE+-]/.test(t[i] as string)) i++;
    const raw = t.slice(start, i);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) throw new JsonSyntaxError(`invalid number ${raw}`, start);
    this.pos = i;
    if (INTEGER.test(raw)) {
      const asNumber = Number(raw);
      return Number.isSafeInteger(asNumber) ? asNumber : BigInt(raw);
    }
    return Number(raw);
  }
}

/**
 * Serializes like `JSON.stringify`, but writes `bigint` values as bare digits.
 * Used for order bodies, whose `billingId` and `serviceId` must be exact JSON numbers.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  const placeholders: string[] = [];
  const marker = `\u0000bigint${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint") {
        placeholders.push(v.toString());
        return `${marker}${placeholders.length - 1}`;
      }
      return v;
    },
    indent,
  );
  if (text === undefined) throw new TypeError("value is not serializable as JSON");
  if (placeholders.length === 0) return text;
  // JSON.stringify escapes U+0000 as \u0000, so the quoted marker is unambiguous.
  const quotedMarker = JSON.stringify(marker).slice(1, -1);
  return text.replace(new RegExp(`"${escapeRegExp(quotedMarker)}(\\d+)"`, "g"), (_m, index: string) => placeholders[Number(index)] as string);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
