// Server-sent events from a fetch body as an async iterable of `data:` payloads.
import { createParser, type EventSourceMessage } from "eventsource-parser";

export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => queue.push(event) });
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (queue.length) yield queue.shift()!.data;
  }
  parser.feed(decoder.decode());
  // An event not closed by a blank line is incomplete (per the SSE spec) and is dropped, so a
  // stream cut mid-event is seen as cut rather than as a shorter answer.
}
