import type { Browser, BrowserContext, Page, Request } from 'playwright-core';

/** What a tab's page shows, read from the DOM (never from the client's internals). */
export interface ShownRow {
  readonly id: string;
  readonly memo: string;
  readonly amount: string;
}

export interface ShownStatus {
  readonly role: string;
  readonly connection: string;
}

/** One demo tab and what the test saw of it from the outside. */
export interface Tab {
  readonly name: string;
  readonly page: Page;
  /** Requests this tab sent to the realtime service (as Chromium issued them). */
  readonly serviceRequests: Array<{ readonly at: number; readonly url: string; readonly method: string }>;
  /** Uncaught errors and console errors of the page. */
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
}

declare global {
  interface Window {
    /** Filled by the init script below, before the demo's own code runs. */
    e2e: {
      /** First time (epoch ms) a row with this id was in the DOM. */
      seen: Record<string, number>;
      statuses: Array<{ at: number; role: string; connection: string }>;
      delivered: string[];
      /** When the page started each fetch of the summary aggregate (epoch ms). */
      summaryFetches: number[];
      /** When the client handed each entity's latest event to the page, and its service `ts`. */
      notified: Record<string, { at: number; ts: number }>;
    };
    demo?: {
      realtime: {
        readonly status: {
          readonly domains: Record<string, { readonly config: { readonly debounceMs: number } | null } | undefined>;
        };
        subscribe(
          listener: (notification: { type: string; events?: Array<{ eventId: string; entityId: string; ts: number }> }) => void,
        ): () => void;
      };
    };
  }
}

/**
 * Runs in every page before the demo: records when each row first appears in the DOM
 * (event→DOM latency), every status the badge shows and when the summary is fetched. Optionally removes Web Locks, as in
 * a browser that has none, so the client falls back to the localStorage lease.
 */
function instrument(removeLocks: boolean): void {
  if (removeLocks) {
    delete (Navigator.prototype as { locks?: unknown }).locks;
  }
  window.e2e = { seen: {}, statuses: [], delivered: [], notified: {}, summaryFetches: [] };
  const fetchOf = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/summary')) window.e2e.summaryFetches.push(Date.now());
    return fetchOf(input, init);
  };
  const observer = new MutationObserver((records) => {
    const now = Date.now();
    for (const record of records) {
      const target = record.target as Element;
      if (record.type === 'attributes' && target.id === 'status') {
        const { role = '', connection = '' } = (target as HTMLElement).dataset;
        const last = window.e2e.statuses.at(-1);
        if (last?.role !== role || last.connection !== connection) window.e2e.statuses.push({ at: now, role, connection });
        continue;
      }
      record.addedNodes.forEach((node) => {
        if (node instanceof HTMLTableRowElement && node.dataset['id'] !== undefined) {
          window.e2e.seen[node.dataset['id']] ??= now;
        }
      });
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-role', 'data-connection'] });
}

/** A browser context (one browser session: shared storage, locks, channels) of demo tabs. */
export class Session {
  readonly context: BrowserContext;
  readonly tabs: Tab[] = [];
  readonly #serviceOrigin: string;

  private constructor(context: BrowserContext, serviceOrigin: string) {
    this.context = context;
    this.#serviceOrigin = serviceOrigin;
  }

  static async open(browser: Browser, options: { serviceOrigin: string; removeLocks?: boolean }): Promise<Session> {
    const context = await browser.newContext();
    await context.addInitScript(instrument, options.removeLocks ?? false);
    return new Session(context, options.serviceOrigin);
  }

  /** Opens a tab on `url` and waits until the demo has rendered its status badge. */
  async openTab(name: string, url: string): Promise<Tab> {
    const page = await this.context.newPage();
    const tab: Tab = { name, page, serviceRequests: [], pageErrors: [], consoleErrors: [] };
    page.on('request', (request: Request) => {
      if (request.url().startsWith(this.#serviceOrigin)) {
        tab.serviceRequests.push({ at: Date.now(), url: request.url(), method: request.method() });
      }
    });
    page.on('pageerror', (error) => tab.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') tab.consoleErrors.push(message.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status')?.dataset['role'] !== '', undefined, { timeout: 10_000 });
    // Count every event the client hands to the page, to prove none arrives twice.
    await page.evaluate(() => {
      window.demo?.realtime.subscribe((notification) => {
        if (notification.type !== 'events') return;
        const now = Date.now();
        for (const event of notification.events ?? []) {
          window.e2e.delivered.push(event.eventId);
          window.e2e.notified[event.entityId] = { at: now, ts: event.ts };
        }
      });
    });
    this.tabs.push(tab);
    return tab;
  }

  #closed = false;

  /** Closes every tab (aborting their requests); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.context.close();
  }
}

export function status(tab: Tab): Promise<ShownStatus> {
  return tab.page.evaluate(() => {
    const badge = document.getElementById('status') as HTMLElement;
    return { role: badge.dataset['role'] ?? '', connection: badge.dataset['connection'] ?? '' };
  });
}

export function statuses(tabs: readonly Tab[]): Promise<ShownStatus[]> {
  return Promise.all(tabs.map(status));
}

export function rows(tab: Tab): Promise<ShownRow[]> {
  return tab.page.evaluate(() =>
    [...document.querySelectorAll<HTMLTableRowElement>('#rows tr')].map((row) => ({
      id: row.dataset['id'] ?? '',
      memo: row.cells[1]?.textContent ?? '',
      amount: row.cells[2]?.textContent ?? '',
    })),
  );
}

export function rowIds(tab: Tab): Promise<string[]> {
  return tab.page.evaluate(() => [...document.querySelectorAll<HTMLTableRowElement>('#rows tr')].map((row) => row.dataset['id'] ?? ''));
}

export function summary(tab: Tab): Promise<{ count: string; total: string; fetches: string }> {
  return tab.page.evaluate(() => ({
    count: document.getElementById('summary-count')?.textContent ?? '',
    total: document.getElementById('summary-total')?.textContent ?? '',
    fetches: document.getElementById('summary-fetches')?.textContent ?? '',
  }));
}

/** The error lines the page shows (`#errors`). */
export function shownErrors(tab: Tab): Promise<string[]> {
  return tab.page.evaluate(() => [...document.querySelectorAll('#errors li')].map((item) => item.textContent ?? ''));
}

export function seen(tab: Tab): Promise<Record<string, number>> {
  return tab.page.evaluate(() => window.e2e.seen);
}

export function notified(tab: Tab): Promise<Record<string, { at: number; ts: number }>> {
  return tab.page.evaluate(() => window.e2e.notified);
}

/** When the page started each fetch of the summary aggregate, as the page saw it. */
export function summaryFetchTimes(tab: Tab): Promise<number[]> {
  return tab.page.evaluate(() => window.e2e.summaryFetches);
}

export function delivered(tab: Tab): Promise<string[]> {
  return tab.page.evaluate(() => window.e2e.delivered);
}

export function statusHistory(tab: Tab): Promise<Array<{ at: number; role: string; connection: string }>> {
  return tab.page.evaluate(() => window.e2e.statuses);
}

/** Returns the tab whose page shows `leader`, if exactly one does. */
export async function leaderOf(tabs: readonly Tab[]): Promise<Tab | null> {
  const shown = await statuses(tabs);
  const leaders = tabs.filter((_tab, index) => shown[index]?.role === 'leader');
  return leaders.length === 1 ? (leaders[0] as Tab) : null;
}
