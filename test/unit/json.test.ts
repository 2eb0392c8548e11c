import assert from "node:assert/strict";
import { JsonSyntaxError, parseJson, stringifyJson } from "../../provider/json";

describe("lossless JSON", () => {
  it("keeps the tutorial's 19-digit IDs exact where JSON.parse rounds them", () => {
    const text = '{"billingId":3197218168379846218,"serviceList":[{"serviceId":3299326068732223488}]}';
    assert.notEqual(String((JSON.parse(text) as { billingId: number }).billingId), "3197218168379846218");
    const parsed = parseJson(text) as { billingId: bigint; serviceList: { serviceId: bigint }[] };
    assert.equal(parsed.billingId, 3197218168379846218n);
    assert.equal(parsed.serviceList[0]?.serviceId, 3299326068732223488n);
  });

  it("round-trips random IDs above 2^53 digit for digit", () => {
    for (let i = 0; i < 500; i++) {
      const id = (2n ** 53n + BigInt(Math.floor(Math.random() * 2 ** 52)) * 1000n + BigInt(i)).toString();
      const text = `{"id":${id},"list":[${id},"${id}"]}`;
      const back = stringifyJson(parseJson(text));
      assert.equal(back, text);
    }
  });

  it("keeps safe integers, decimals and exponents as ordinary numbers", () => {
    assert.deepEqual(parseJson("[0,-1,200,1.5,-2e3,9007199254740991]"), [0, -1, 200, 1.5, -2000, 9007199254740991]);
    assert.equal(typeof parseJson("9007199254740993"), "bigint");
  });

  it("parses strings with escapes, nested structures and literals like JSON.parse", () => {
    const text = '{"a":"x\\"y\\u00e9\\n","b":[true,false,null,{}],"c":{"d":[]}}';
    assert.deepEqual(parseJson(text), JSON.parse(text));
  });

  it("keeps a __proto__ key as data", () => {
    const value = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(value), ["__proto__"]);
  });

  for (const bad of ["", "{", '{"a":1,}', "[1 2]", "01", "1.", "-", '"abc', "nul", "{} x", "<html>502</html>", "NaN"]) {
    it(`refuses malformed text ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseJson(bad), JsonSyntaxError);
    });
  }

  it("writes bigint values as bare digits and leaves look-alike strings quoted", () => {
    const text = stringifyJson({ billingId: 3197218168379846218n, note: "3197218168379846218", n: 11 });
    assert.equal(text, '{"billingId":3197218168379846218,"note":"3197218168379846218","n":11}');
  });
});
