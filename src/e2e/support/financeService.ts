import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeToken, DEV_PUBLIC_KEY, publisherToken, type DecodedClaims } from './tokens.js';
import { sleep } from './wait.js';

/** The packaged finance service (`./mvnw -B -ntp verify` or `package` builds it). */
export const FINANCE_JAR =
  process.env['FINANCE_JAR'] ??
  fileURLToPath(new URL('../../../finance-realtime/target/quarkus-app/quarkus-run.jar', import.meta.url));

/** How long the JVM may take to report ready before the run fails. */
const START_TIMEOUT_MS = 45_000;

export interface FinanceServiceOptions {
  /** The page origin allowed by CORS (the demo page's, another origin than the service's). */
  readonly corsOrigin: string;
  /** `realtime.poll.max-wait`, e.g. `0s` for the fast-empty scenario; the service default otherwise. */
  readonly maxWait?: string;
}

/** One request as the service's access log records it. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** When the service received the request: end − duration. */
  readonly startMs: number;
  /** When the service finished it (answered, or noticed the client went away). */
  readonly endMs: number;
  readonly origin: string | null;
  readonly lastEventId: string | null;
  /** The claims of the bearer token it carried, `null` without one (preflights). */
  readonly claims: DecodedClaims | null;
}

/** The event a publisher sends (API.md "Publish"). */
export interface PublishedEvent {
  readonly orgId: string;
  readonly type: string;
  readonly entityId: string;
  readonly eventId?: string;
  readonly payload: Record<string, unknown>;
}

/** The JSON of `GET /finance/realtime/metrics` (the fields the scenarios read). */
export interface FinanceMetrics {
  readonly orgs: number;
  readonly waiters: number;
  readonly published: number;
  readonly duplicates: number;
  readonly delivered: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly polls: Readonly<Record<string, number>>;
  readonly deliveryLatencyMs: Readonly<Record<string, number>>;
}

export interface FinanceService {
  readonly baseUrl: string;
  /** Publishes a batch and resolves when the service accepted it (202). */
  publish(events: readonly PublishedEvent[]): Promise<void>;
  metrics(): Promise<FinanceMetrics>;
  /**
   * Every request the service logged so far. A request is logged when it ends, so a poll still
   * parked is not in it yet: close the tabs first ({@link closeAndCollect} in stack.ts).
   */
  requests(): Promise<LoggedRequest[]>;
  stop(): Promise<void>;
}

/**
 * Log line: end time, duration, method, path, status, Origin, Last-Event-ID, Authorization.
 * The Authorization header comes last because it holds a space ("Bearer …").
 */
const ACCESS_LOG_PATTERN =
  "%{time,yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %D %m %U %s %{i,Origin} %{i,Last-Event-ID} %{i,Authorization}";

/** Returns a TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the real finance service (the packaged Quarkus app) and waits until it is ready. */
export async function startFinanceService(options: FinanceServiceOptions): Promise<FinanceService> {
  if (!existsSync(FINANCE_JAR)) {
    throw new Error(
      `finance service not built: ${FINANCE_JAR} is missing. Build it first: ` +
        'cd .. && ./mvnw -B -ntp -pl finance-realtime -am package -DskipTests (or set FINANCE_JAR)',
    );
  }
  const [port, managementPort] = [await freePort(), await freePort()];
  const workDir = mkdtempSync(path.join(tmpdir(), 'finance-e2e-'));
  const outputFile = path.join(workDir, 'service.out');
  const output = openSync(outputFile, 'w');
  const java = process.env['JAVA_HOME'] === undefined ? 'java' : path.join(process.env['JAVA_HOME'], 'bin', 'java');
  const properties: Record<string, string> = {
    'mp.jwt.verify.publickey.location': DEV_PUBLIC_KEY,
    'quarkus.http.host': '127.0.0.1',
    'quarkus.http.port': String(port),
    'quarkus.management.host': '127.0.0.1',
    'quarkus.management.port': String(managementPort),
    'quarkus.http.cors.origins': options.corsOrigin,
    'quarkus.shutdown.delay-enabled': 'false',
    'quarkus.http.record-request-start-time': 'true',
    'quarkus.http.access-log.enabled': 'true',
    'quarkus.http.access-log.log-to-file': 'true',
    'quarkus.http.access-log.log-directory': workDir,
    'quarkus.http.access-log.base-file-name': 'access',
    'quarkus.http.access-log.rotate': 'false',
    'quarkus.http.access-log.pattern': ACCESS_LOG_PATTERN,
    ...(options.maxWait === undefined ? {} : { 'realtime.poll.max-wait': options.maxWait }),
  };
  const args = [
    '-XX:+UseSerialGC',
    '-Xmx256m',
    ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
    '-jar',
    FINANCE_JAR,
  ];
  const child = spawn(java, args, { stdio: ['ignore', output, output] });
  closeSync(output);
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited (code ${code}, signal ${signal})`;
  });
  child.once('error', (error) => {
    exited = `could not start ${java}: ${error.message}`;
  });
  // Never leave a JVM behind, even when the test process dies early.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${port}`;
  const publisher = publisherToken();
  const authorization = { Authorization: `Bearer ${publisher}` };

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopProcess(child);
    rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      const log = readFileSync(outputFile, 'utf8').split('\n').slice(-30).join('\n');
      rmSync(workDir, { recursive: true, force: true });
      throw new Error(`finance service ${exited} before it was ready:\n${log}`);
    }
    if (await isReady(`http://127.0.0.1:${managementPort}/q/health/ready`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`finance service not ready within ${START_TIMEOUT_MS} ms`);
    }
    await sleep(100);
  }

  return {
    baseUrl,
    async publish(events) {
      const response = await fetch(`${baseUrl}/finance/realtime/events`, {
        method: 'POST',
        headers: { ...authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (response.status !== 202) {
        throw new Error(`publish refused: HTTP ${response.status} ${await response.text()}`);
      }
      await response.arrayBuffer();
    },
    async metrics() {
      const response = await fetch(`${baseUrl}/finance/realtime/metrics`, { headers: authorization });
      if (!response.ok) throw new Error(`metrics: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as FinanceMetrics;
    },
    async requests() {
      const file = path.join(workDir, 'access.log');
      // The service writes its log from a background thread: give it a moment to catch up.
      await sleep(150);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .map(parseLine)
        .filter((entry): entry is LoggedRequest => entry !== null);
    },
    stop,
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

function parseLine(line: string): LoggedRequest | null {
  const match = /^(\S+) (\S+) (\S+) (\S+) (\d{3}) (\S+) (\S+) (.*)$/.exec(line.trim());
  if (match === null) return null;
  const [, time, duration, method, requestPath, status, origin, lastEventId, authorization] = match as unknown as string[];
  const endMs = Date.parse(time as string);
  const durationMs = Number(duration);
  if (Number.isNaN(endMs) || Number.isNaN(durationMs)) return null;
  const bearer = /^Bearer (\S+)$/.exec((authorization as string).trim());
  return {
    method: method as string,
    path: requestPath as string,
    status: Number(status),
    startMs: endMs - durationMs,
    endMs,
    origin: origin === '-' ? null : (origin as string),
    lastEventId: lastEventId === '-' ? null : (lastEventId as string),
    claims: bearer === null ? null : decodeToken(bearer[1] as string),
  };
}
