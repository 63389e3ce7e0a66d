import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { createRealtimeClient, type RealtimeStatus } from '../client/index.js';
import { bindList, connectQueryAdapter } from '../client/queryAdapter.js';
import { demoTokenSource, readDemoConfig } from './demoConfig.js';

/** A finance transaction as the demo shows it (the events' payload). */
interface Transaction {
  readonly id: string;
  /** Payloads are the publisher's: render what is there, never trust a field to exist. */
  readonly amount?: number;
  readonly memo?: string;
}

interface Summary {
  readonly count: number;
  readonly total: number;
}

const TRANSACTIONS = ['finance', 'transactions'] as const;
const SUMMARY = ['finance', 'summary'] as const;

const config = readDemoConfig(window.location, window.localStorage);
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 1 } } });
// Mounting subscribes the client to query-core's online and focus managers: without it a
// refetch due while the browser is offline is tried anyway and fails ("Failed to fetch")
// instead of waiting for the network (found by the offline/online browser scenario).
queryClient.mount();
let summaryFetches = 0;

async function fetchJson<T>(path: string, fallback: () => T): Promise<T> {
  if (config.dataUrl === null) return fallback();
  const response = await fetch(`${config.dataUrl}${path}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

const transactions = new QueryObserver<Transaction[]>(queryClient, {
  queryKey: [...TRANSACTIONS],
  // Without a data service the list starts empty and is built from events alone.
  queryFn: () => fetchJson<Transaction[]>('/transactions', () => queryClient.getQueryData([...TRANSACTIONS]) ?? []),
});

const summary = new QueryObserver<Summary>(queryClient, {
  queryKey: [...SUMMARY],
  queryFn: () => {
    summaryFetches += 1;
    return fetchJson<Summary>('/summary', () => {
      const rows = queryClient.getQueryData<Transaction[]>([...TRANSACTIONS]) ?? [];
      return { count: rows.length, total: rows.reduce((sum, row) => sum + (row.amount ?? 0), 0) };
    });
  },
});

const realtime = createRealtimeClient({
  domain: 'finance',
  baseUrl: config.baseUrl,
  getToken: demoTokenSource(config),
});

connectQueryAdapter({
  client: realtime,
  queryClient,
  domain: 'finance',
  lists: [bindList<Transaction>({ queryKey: TRANSACTIONS })],
  aggregates: [{ queryKey: SUMMARY }],
});

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} missing from the page`);
  return found;
};

function renderStatus(status: RealtimeStatus): void {
  const badge = element('status');
  badge.dataset['role'] = status.role;
  badge.dataset['connection'] = status.connection;
  badge.textContent = `${status.role} · ${status.connection}`;
}

/** The rows on the page by key, so a change touches only the rows it concerns. */
const renderedRows = new Map<string, HTMLTableRowElement>();

function cellTexts(row: Transaction): string[] {
  return [row.id, row.memo ?? '', typeof row.amount === 'number' ? row.amount.toFixed(2) : ''];
}

/**
 * Brings the table in line with `rows`, keyed by id: new rows are created, changed cells
 * rewritten, gone rows removed, and nothing else is touched (rebuilding every row on every
 * event costs each tab O(rows) per event, which a burst of 1,000 events makes visible). A
 * repeated id gets a row of its own, so a duplicate in the data shows as one.
 */
function renderRows(rows: readonly Transaction[]): void {
  const body = element('rows');
  const occurrences = new Map<string, number>();
  const wanted = new Set<string>();
  let previous: HTMLTableRowElement | null = null;
  for (const row of rows) {
    const seen = occurrences.get(row.id) ?? 0;
    occurrences.set(row.id, seen + 1);
    const key = seen === 0 ? row.id : `${row.id}#${seen}`;
    wanted.add(key);
    let tr = renderedRows.get(key);
    if (tr === undefined) {
      tr = document.createElement('tr');
      tr.dataset['id'] = row.id;
      for (let index = 0; index < 3; index += 1) {
        const td = document.createElement('td');
        if (index === 2) td.className = 'amount';
        tr.append(td);
      }
      renderedRows.set(key, tr);
    }
    cellTexts(row).forEach((text, index) => {
      const cell = tr.cells[index];
      if (cell !== undefined && cell.textContent !== text) cell.textContent = text;
    });
    const expected: Element | null = previous === null ? body.firstElementChild : previous.nextElementSibling;
    if (expected !== tr) body.insertBefore(tr, expected);
    previous = tr;
  }
  for (const [key, tr] of renderedRows) {
    if (wanted.has(key)) continue;
    tr.remove();
    renderedRows.delete(key);
  }
}

/** Everything that went wrong, shown on the page (a user sees it; the browser tests assert it stays empty). */
function showError(message: string): void {
  const item = document.createElement('li');
  item.dataset['at'] = String(Date.now());
  item.textContent = message;
  element('errors').append(item);
}

window.addEventListener('error', (event) => showError(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => showError(`unhandled rejection: ${String(event.reason)}`));

// For people poking at the page in the console, and for the browser tests.
Object.assign(window, { demo: { realtime, queryClient } });

renderStatus(realtime.status);
realtime.subscribe((notification) => {
  if (notification.type === 'status') renderStatus(notification.status);
});
/** Returns a reporter that shows each failed fetch of a query once (observers notify many times). */
function queryErrors(name: string): (result: { error: Error | null; errorUpdatedAt: number }) => void {
  let shownAt = 0;
  return ({ error, errorUpdatedAt }) => {
    if (error === null || errorUpdatedAt === shownAt) return;
    shownAt = errorUpdatedAt;
    showError(`${name}: ${error.message}`);
  };
}
const transactionErrors = queryErrors('transactions');
const summaryErrors = queryErrors('summary');

transactions.subscribe((result) => {
  transactionErrors(result);
  renderRows(result.data ?? []);
});
summary.subscribe((result) => {
  summaryErrors(result);
  element('summary-count').textContent = result.data === undefined ? '–' : String(result.data.count);
  element('summary-total').textContent = result.data === undefined ? '–' : result.data.total.toFixed(2);
  element('summary-fetches').textContent = String(summaryFetches);
});
element('logout').addEventListener('click', () => realtime.logout());
