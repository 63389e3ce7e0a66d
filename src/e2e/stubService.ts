import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A stand-in for a domain service that speaks just enough of API.md (handshake, parked
 * long-poll answered on publish, 401 without a bearer token, CORS with Max-Age), plus a page
 * origin serving the built client. It exists to check browser facts (Web Locks,
 * BroadcastChannel, preflight caching) before the real finance service exists; the seed
 * scenarios run against the real service.
 */
export interface StubStats {
  subscribes: number;
  preflights: number;
  parked: number;
  maxParked: number;
  readonly authorizations: Set<string>;
  readonly urls: Set<string>;
}

export interface Stub {
  readonly pageOrigin: string;
  readonly apiOrigin: string;
  readonly stats: StubStats;
  publish(count: number): void;
  close(): Promise<void>;
}

interface StoredEvent {
  readonly seq: number;
  readonly body: Record<string, unknown>;
}

const EPOCH = 'stub1';

export async function startStub(options: { distDir: string; maxWaitMs: number }): Promise<Stub> {
  const stats: StubStats = {
    subscribes: 0,
    preflights: 0,
    parked: 0,
    maxParked: 0,
    authorizations: new Set(),
    urls: new Set(),
  };
  const events: StoredEvent[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;

  const page = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (url.pathname.startsWith('/client/')) {
      const file = path.join(options.distDir, path.normalize(url.pathname.slice('/client/'.length)));
      readFile(file).then(
        (body) => response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body),
        () => response.writeHead(404).end(),
      );
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE.replace('API_ORIGIN', apiOrigin));
  });

  const corsHeaders = (request: http.IncomingMessage) => ({
    'Access-Control-Allow-Origin': request.headers.origin ?? '*',
    'Access-Control-Allow-Headers': 'Authorization, Last-Event-ID, Accept',
    'Access-Control-Max-Age': '600',
  });

  const api = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (request.method === 'OPTIONS') {
      stats.preflights += 1;
      response.writeHead(204, corsHeaders(request)).end();
      return;
    }
    if (url.pathname !== '/finance/realtime/subscribe') {
      response.writeHead(404).end();
      return;
    }
    stats.subscribes += 1;
    stats.urls.add(request.url ?? '');
    const authorization = request.headers.authorization ?? '';
    stats.authorizations.add(authorization);
    const send = (status: number, body: unknown) =>
      response
        .writeHead(status, { ...corsHeaders(request), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        .end(JSON.stringify(body));
    if (!/^Bearer \S+$/.test(authorization)) {
      send(401, { status: 401, code: 'token_missing' });
      return;
    }
    const cursor = request.headers['last-event-id'];
    if (typeof cursor !== 'string') {
      send(200, { cursor: `${EPOCH}.${seq}`, events: [], reset: false, config: { maxWaitMs: options.maxWaitMs, debounceMs: 1000 } });
      return;
    }
    const after = Number(cursor.split('.')[1] ?? '0');
    const answer = () => {
      const batch = events.filter((event) => event.seq > after).slice(0, 100);
      const last = batch.at(-1)?.seq ?? after;
      send(200, { cursor: `${EPOCH}.${last}`, events: batch.map((event) => event.body), reset: false });
    };
    if (events.some((event) => event.seq > after)) {
      answer();
      return;
    }
    stats.parked += 1;
    stats.maxParked = Math.max(stats.maxParked, stats.parked);
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      stats.parked -= 1;
      waiters.delete(wake);
      clearTimeout(timer);
      return true;
    };
    const wake = () => {
      if (settle()) answer();
    };
    const timer = setTimeout(wake, options.maxWaitMs);
    waiters.add(wake);
    response.on('close', () => settle());
  });

  const listen = (server: http.Server) =>
    new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
    );
  const pageOrigin = await listen(page);
  const apiOrigin = await listen(api);

  return {
    pageOrigin,
    apiOrigin,
    stats,
    publish(count) {
      for (let index = 0; index < count; index += 1) {
        seq += 1;
        const id = `tx-${seq}`;
        events.push({
          seq,
          body: { eventId: `e-${seq}`, type: 'transaction.updated', orgId: 'org-1', entityId: id, propertyId: null, ts: Date.now(), payload: { id } },
        });
      }
      for (const wake of [...waiters]) wake();
    },
    async close() {
      for (const server of [page, api]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/** The test page: one client, its notifications recorded on `window` for the test to read. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>client smoke</title>
<script type="module">
  import { createRealtimeClient } from '/client/index.js';
  const params = new URLSearchParams(location.search);
  window.received = [];
  window.errors = [];
  window.addEventListener('error', (event) => window.errors.push(String(event.message)));
  const client = createRealtimeClient({
    domain: 'finance',
    baseUrl: 'API_ORIGIN',
    getToken: () => 'stub-token',
    ...(params.has('lease') ? { locks: null } : {}),
  });
  client.subscribe((n) => {
    if (n.type === 'events') for (const event of n.events) window.received.push(event.eventId);
  });
  window.realtime = client;
</script>`;
