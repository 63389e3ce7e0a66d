import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FinanceService, PublishedEvent } from './financeService.js';
import { signToken } from './tokens.js';

/** The built demo page (`vite build --config demo/vite.config.ts`). */
export const DEMO_DIST = fileURLToPath(new URL('../../dist/demo', import.meta.url));

/** A transaction row: what the page lists and what the events carry as payload. */
export interface Transaction {
  readonly id: string;
  readonly amount: number;
  readonly memo: string;
}

/** One request the demo's backend answered: a data fetch or a token. */
export interface BackendRequest {
  readonly at: number;
  readonly kind: 'transactions' | 'summary' | 'token';
  readonly org: string;
  readonly tab: string;
}

/** A change the test makes to the source of truth; the backend then publishes its event. */
export interface Change {
  readonly type: 'transaction.created' | 'transaction.updated';
  readonly row: Transaction;
}

/**
 * The demo page's origin and its backend, as a finance app would have them: static files of
 * the built demo, the source of truth (`/data/{org}/{tab}/transactions` and `/summary`, what a
 * reset or an aggregate refetch reads) and a token endpoint (`/token`), all on one origin
 * that is not the realtime service's, so the page's polls are cross-origin for real.
 * `{tab}` in the paths only labels requests, so the test can tell tabs apart.
 */
export interface DemoServer {
  readonly origin: string;
  readonly requests: readonly BackendRequest[];
  /** The rows of an org, newest first, as the page must end up showing them. */
  rows(org: string): Transaction[];
  /** Applies the changes to the source of truth, then publishes their events in one batch. */
  commit(service: FinanceService, org: string, changes: readonly Change[]): Promise<void>;
  /** The URL of one tab of the demo page. */
  pageUrl(options: DemoPageOptions): string;
  close(): Promise<void>;
}

export interface DemoPageOptions {
  readonly service: FinanceService;
  readonly org: string;
  readonly sub: string;
  readonly tab: string;
  /** Token lifetimes in seconds: the tab's n-th token lives `ttls[n]` (the last one repeats). */
  readonly ttls?: readonly number[];
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function startDemoServer(): Promise<DemoServer> {
  const stores = new Map<string, Map<string, Transaction>>();
  const requests: BackendRequest[] = [];
  const tokensIssued = new Map<string, number>();
  const store = (org: string) => {
    let rows = stores.get(org);
    if (rows === undefined) {
      rows = new Map();
      stores.set(org, rows);
    }
    return rows;
  };
  // Insertion order of the map is creation order; the page lists newest first.
  const rows = (org: string) => [...store(org).values()].reverse();

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://demo');
    const json = (body: unknown) =>
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
    const data = /^\/data\/([^/]+)\/([^/]+)\/(transactions|summary)$/.exec(url.pathname);
    if (data !== null) {
      const [, org, tab, kind] = data as unknown as [string, string, string, 'transactions' | 'summary'];
      requests.push({ at: Date.now(), kind, org, tab });
      const list = rows(org);
      if (kind === 'transactions') json(list);
      else json({ count: list.length, total: list.reduce((sum, row) => sum + row.amount, 0) });
      return;
    }
    if (url.pathname === '/token') {
      const sub = url.searchParams.get('sub') ?? 'nobody';
      const org = url.searchParams.get('org') ?? 'org-none';
      const tab = url.searchParams.get('tab') ?? '?';
      const ttls = (url.searchParams.get('ttls') ?? '3600').split(',').map(Number);
      const issued = tokensIssued.get(`${sub}/${tab}`) ?? 0;
      tokensIssued.set(`${sub}/${tab}`, issued + 1);
      requests.push({ at: Date.now(), kind: 'token', org, tab });
      const ttlSeconds = ttls[Math.min(issued, ttls.length - 1)] ?? 3_600;
      response
        .writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' })
        .end(signToken({ sub, orgId: org, tab, ttlSeconds }));
      return;
    }
    const file = url.pathname === '/' ? 'index.html' : path.normalize(url.pathname).replace(/^[/\\]+/, '');
    if (file.startsWith('..')) {
      response.writeHead(404).end();
      return;
    }
    readFile(path.join(DEMO_DIST, file)).then(
      (body) =>
        response
          .writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    rows,
    async commit(service, org, changes) {
      const rowsOfOrg = store(org);
      const events: PublishedEvent[] = changes.map((change) => {
        rowsOfOrg.set(change.row.id, change.row);
        return { orgId: org, type: change.type, entityId: change.row.id, payload: { ...change.row } };
      });
      await service.publish(events);
    },
    pageUrl({ service, org, sub, tab, ttls }) {
      const token = new URLSearchParams({ sub, org, tab, ttls: (ttls ?? [3_600]).join(',') });
      const query = new URLSearchParams({
        baseUrl: service.baseUrl,
        tokenUrl: `/token?${token}`,
        dataUrl: `/data/${encodeURIComponent(org)}/${encodeURIComponent(tab)}`,
      });
      return `${origin}/?${query}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
