import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithDocker, psInContainer, TEST_CONTAINER, dockerHost } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';
import { openSession } from '../helpers/spawn-client.js';

const id = () => `p${Math.random().toString(36).slice(2, 14)}`;
const marker = () => String(200000 + Math.floor(Math.random() * 700000));
const sleepers = async (m: string) => (await psInContainer(TEST_CONTAINER)).filter((p) => p.args.includes(`sleep ${m}`));

async function gone(m: string, withinMs: number): Promise<number> {
  const start = Date.now();
  while ((await sleepers(m)).length > 0) {
    if (Date.now() - start > withinMs) throw new Error(`sleep ${m} still running after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

// Spawn through the gateway's HTTP API with a real engine (issue 3): the session
// stream, its events, and that a stopped or dropped stream ends the process
// inside the container.
describeWithDocker('spawn sessions', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine: { host: dockerHost() }, maxSpawns: 60 });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('streams chunks before the process ends, then its exit', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    const res = await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ['sh', '-c', 'echo a; sleep 1; echo b >&2; exit 5'] });
    expect(res.status).toBe(201);
    await s.until(() => s.output(p) === 'a\n');
    expect(s.exit(p)).toBeUndefined();
    await s.until(() => s.exit(p) !== undefined);
    expect(s.output(p, 'stderr')).toBe('b\n');
    expect(s.exit(p)).toEqual({ id: p, code: 5, signal: null });
    await s.drop();
  });

  it('keeps a multi-byte character split across two writes whole', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ['sh', '-c', "printf '\\342\\202'; sleep 0.3; printf '\\254\\n'"] });
    await s.until(() => s.exit(p) !== undefined);
    expect(s.output(p)).toBe('€\n');
    await s.drop();
  });

  it('refuses to start a missing binary, with a clear error', async () => {
    const s = await openSession(gateway.url);
    const res = await s.spawn(id(), { target: 'container', container: TEST_CONTAINER, argv: ['no-such-binary'] });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('no-such-binary');
    await s.drop();
  });

  it('refuses a missing container', async () => {
    const s = await openSession(gateway.url);
    const res = await s.spawn(id(), { target: 'container', container: 'no-such-container', argv: ['true'] });
    expect(res.status).toBe(404);
    await s.drop();
  });

  it('runs 20 spawns at once on one stream', async () => {
    const s = await openSession(gateway.url);
    const ids = Array.from({ length: 20 }, id);
    const answers = await Promise.all(ids.map((p, i) => s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ['sh', '-c', `echo n${i}`] })));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 201));
    await s.until(() => ids.every((p) => s.exit(p) !== undefined), 20_000);
    ids.forEach((p, i) => expect(s.output(p)).toBe(`n${i}\n`));
    await s.drop();
  });

  it('a stop call ends the process inside the container within 2 s, and the stream gets its exit', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    const m = marker();
    await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ['sleep', m] });
    expect(await sleepers(m)).toHaveLength(1);
    expect((await s.stop(p)).status).toBe(204);
    expect(await gone(m, 2000)).toBeLessThan(2000);
    await s.until(() => s.exit(p) !== undefined);
    expect(s.exit(p)?.code).toBeNull();
    await s.drop();
  });

  it('a dropped stream ends its processes inside the container within 2 s', async () => {
    const s = await openSession(gateway.url);
    const m = marker();
    await s.spawn(id(), { target: 'container', container: TEST_CONTAINER, argv: ['sleep', m] });
    await s.until((events) => events.length >= 0);
    expect(await sleepers(m)).toHaveLength(1);
    await s.drop();
    expect(await gone(m, 3000)).toBeLessThan(3000);
  });

  it('leaves no process after 50 aborted spawns', async () => {
    const m = marker();
    const sessions = await Promise.all(Array.from({ length: 5 }, () => openSession(gateway.url)));
    await Promise.all(sessions.flatMap((s) => Array.from({ length: 10 }, () => s.spawn(id(), { target: 'container', container: TEST_CONTAINER, argv: ['sleep', m] }))));
    expect(await sleepers(m)).toHaveLength(50);
    await Promise.all(sessions.map((s) => s.drop()));
    await gone(m, 8000);
    expect(gateway.logs.some((l) => l.includes('no event stream'))).toBe(true);
  });

  it('refuses spawns past --max-spawns with 429', async () => {
    const small = await startTestGateway({ engine: { host: dockerHost() }, maxSpawns: 2 });
    const s = await openSession(small.url);
    try {
      const m = marker();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await s.spawn(id(), { target: 'container', container: TEST_CONTAINER, argv: ['sleep', m] })).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await s.drop();
      await small.close();
    }
  });
});
