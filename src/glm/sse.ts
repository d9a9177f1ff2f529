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
  // A final event without its blank line is still delivered by reset({consume: true}).
  parser.reset({ consume: true });
  while (queue.length) yield queue.shift()!.data;
}
