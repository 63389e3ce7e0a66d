/** Where the demo talks to, read from the page URL so tests and people can point it anywhere. */
export interface DemoConfig {
  /** The finance service origin, e.g. `http://127.0.0.1:8081` (another origin: CORS for real). */
  readonly baseUrl: string;
  /** Optional source of truth for the list and the summary: `{dataUrl}/transactions`, `/summary`. */
  readonly dataUrl: string | null;
  /** A bearer token given in the URL (dev only), else the `demo-token` localStorage item. */
  readonly token: string | null;
  /** Optional endpoint answering a fresh token as text, asked on `forceRefresh`. */
  readonly tokenUrl: string | null;
}

export function readDemoConfig(location: Location, storage: Storage): DemoConfig {
  const params = new URLSearchParams(location.search);
  return {
    baseUrl: params.get('baseUrl') ?? 'http://127.0.0.1:8081',
    dataUrl: params.get('dataUrl'),
    token: params.get('token') ?? storage.getItem('demo-token'),
    tokenUrl: params.get('tokenUrl'),
  };
}

/** Returns a token callback: the configured token, or a fresh one from `tokenUrl` on refresh. */
export function demoTokenSource(config: DemoConfig): (options: { forceRefresh: boolean }) => Promise<string | null> {
  let token = config.token;
  return async ({ forceRefresh }) => {
    if ((forceRefresh || token === null) && config.tokenUrl !== null) {
      const response = await fetch(config.tokenUrl, { cache: 'no-store' });
      token = response.ok ? (await response.text()).trim() : null;
    }
    return token;
  };
}
