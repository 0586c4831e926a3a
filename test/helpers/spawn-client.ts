import { createParser } from 'eventsource-parser';
import { CLIENT_HEADER, type SpawnEvents } from '../../src/protocol.js';

type Event = { name: keyof SpawnEvents; data: SpawnEvents[keyof SpawnEvents] };

/**
 * A page's spawn session as the shim opens it (protocol: one SSE stream a page),
 * driven from Node with fetch, so gateway tests can drop it at will.
 */
export async function openSession(gatewayUrl: string, session = `s${Math.random().toString(36).slice(2, 12)}`) {
  const abort = new AbortController();
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  const res = await fetch(`${gatewayUrl}/_dd/spawn/events?session=${session}`, { headers: { [CLIENT_HEADER]: '1' }, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`spawn/events answered ${res.status}`);
  const parser = createParser({
    onEvent: (e) => {
      events.push({ name: e.event as keyof SpawnEvents, data: JSON.parse(e.data) });
      for (const w of waiters.splice(0)) w();
    },
  });
  const decoder = new TextDecoder();
  const reading = (async () => {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })().catch(() => undefined);

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${gatewayUrl}/_dd/${path}`, { method, headers: { [CLIENT_HEADER]: '1', 'content-type': 'application/json' }, body: body === undefined ? null : JSON.stringify(body) });

  return {
    session,
    events,
    /** `POST spawn` in this session; resolves the response. */
    spawn: (id: string, req: Record<string, unknown>) => post('spawn', { session, id, ...req }),
    stop: (id: string) => post(`spawn/${id}`, undefined, 'DELETE'),
    /** Resolves once `pred` holds for the events seen so far. */
    async until(pred: (events: Event[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pred(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events).slice(0, 500)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    output: (id: string, stream: 'stdout' | 'stderr' = 'stdout') =>
      events.filter((e) => e.name === stream && (e.data as { id: string }).id === id).map((e) => (e.data as { data: string }).data).join(''),
    exit: (id: string) => events.find((e) => e.name === 'exit' && (e.data as { id: string }).id === id)?.data as SpawnEvents['exit'] | undefined,
    drop: async () => {
      abort.abort();
      await reading;
    },
  };
}
