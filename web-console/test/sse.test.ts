import { describe, expect, it } from "vitest";
import { parseSse } from "../src/sse";

describe("parseSse", () => {
  it("splits complete messages and keeps the unfinished rest", () => {
    const { messages, rest } = parseSse('event: approval\ndata: {"id":"1"}\n\n: heartbeat\n\ndata: a\ndata: b\nid: 7\n\ndata: par');
    expect(messages).toEqual([
      { event: "approval", data: '{"id":"1"}', id: undefined },
      { event: "message", data: "a\nb", id: "7" },
    ]);
    expect(rest).toBe("data: par");
  });

  it("accepts CRLF line endings", () => {
    expect(parseSse("data: x\r\n\r\n").messages).toEqual([{ event: "message", data: "x", id: undefined }]);
  });
});
