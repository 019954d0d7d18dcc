// Server-sent events over fetch, so the bearer token goes in a header (EventSource cannot send one).

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Splits an event-stream text into complete messages; answers them and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") id = value;
    }
    if (data.length) messages.push({ event, data: data.join("\n"), id });
  }
  return { messages, rest };
}

/**
 * Follows an event stream until aborted, reconnecting with backoff; reports each message and
 * whether the stream is live.
 */
export async function follow(
  url: string,
  headers: () => Promise<Record<string, string>>,
  onMessage: (m: SseMessage) => void,
  onLive: (live: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const res = await fetch(url, { headers: { Accept: "text/event-stream", ...(await headers()) }, signal });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onLive(true);
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        parsed.messages.forEach(onMessage);
      }
    } catch {
      if (signal.aborted) return;
    }
    onLive(false);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 30_000);
  }
}
