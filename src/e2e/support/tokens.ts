import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The dev-only key pair (dev/keys), which the services under test are started with. */
export const DEV_PUBLIC_KEY = fileURLToPath(new URL('../../../dev/keys/dev-public.pem', import.meta.url));
const DEV_PRIVATE_KEY = fileURLToPath(new URL('../../../dev/keys/dev-private.pem', import.meta.url));
export const ISSUER = 'https://realtime.local';

let key: KeyObject | null = null;

/** Claims the services read (API.md "Authentication"), plus `tab`, which only the tests read. */
export interface TokenClaims {
  readonly sub: string;
  readonly orgId?: string;
  readonly groups?: readonly string[];
  /** Which test tab asked for the token: the access log then says which tab sent a request. */
  readonly tab?: string;
  /** Lifetime in seconds (JWT `exp` has one-second resolution). */
  readonly ttlSeconds?: number;
}

/** Returns an RS256 JWT signed with the dev key, as dev/token.sh mints them. */
export function signToken(claims: TokenClaims): string {
  key ??= createPrivateKey(readFileSync(DEV_PRIVATE_KEY));
  const now = Math.floor(Date.now() / 1_000);
  const payload = {
    iss: ISSUER,
    sub: claims.sub,
    iat: now,
    exp: now + (claims.ttlSeconds ?? 3_600),
    jti: randomUUID(),
    groups: claims.groups ?? [],
    ...(claims.orgId === undefined ? {} : { orgId: claims.orgId }),
    ...(claims.tab === undefined ? {} : { tab: claims.tab }),
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The claims of a token this module signed (no verification: the service did that). */
export interface DecodedClaims {
  readonly sub?: string;
  readonly orgId?: string;
  readonly tab?: string;
  readonly exp?: number;
  readonly jti?: string;
}

/** Returns the claims of a JWT, or `null` when it is not one. */
export function decodeToken(token: string): DecodedClaims | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DecodedClaims;
  } catch {
    return null;
  }
}

/** A token that may publish to any org and read the metrics. */
export function publisherToken(): string {
  return signToken({ sub: 'e2e-publisher', groups: ['realtime-publisher', 'realtime-admin'] });
}
