import type { ChannelFactory, ChannelPort } from './types.js';

/** The channel every tab of the origin listens to for logout (the seed's name). */
export const AUTH_CONTROL_CHANNEL = 'auth-control';

/** The seed's logout message; app code may post it too, and every client stops on it. */
export interface LogoutMessage {
  readonly type: 'logout';
  readonly id: string;
  readonly ts: number;
}

/** Returns `true` for a logout message as the seed's teams post it. */
export function isLogoutMessage(value: unknown): value is LogoutMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; id?: unknown; ts?: unknown };
  return message.type === 'logout' && typeof message.id === 'string' && typeof message.ts === 'number';
}

/** Returns a random UUID (v4); `crypto.randomUUID` where the context has it. */
export function randomId(): string {
  const cryptoLike = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof cryptoLike?.randomUUID === 'function') return cryptoLike.randomUUID();
  // Insecure contexts lack randomUUID; ids here only need to be unique, not secret.
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/**
 * Listens on `BroadcastChannel('auth-control')` and calls `onLogout` for any logout message,
 * whoever posted it. `postLogout` tells the other tabs (a channel never echoes to its sender).
 */
export class AuthControl {
  readonly #port: ChannelPort;
  readonly #onMessage: (event: MessageEvent) => void;
  #disposed = false;

  constructor(channels: ChannelFactory, onLogout: (message: LogoutMessage) => void) {
    this.#port = channels(AUTH_CONTROL_CHANNEL);
    this.#onMessage = (event) => {
      const data: unknown = event.data;
      if (!this.#disposed && isLogoutMessage(data)) onLogout(data);
    };
    this.#port.addEventListener('message', this.#onMessage);
  }

  /** Posts `{ type: 'logout', id, ts }` to every other tab and returns it. */
  postLogout(id: string, ts: number): LogoutMessage {
    const message: LogoutMessage = { type: 'logout', id, ts };
    if (!this.#disposed) this.#port.postMessage(message);
    return message;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#port.removeEventListener('message', this.#onMessage);
    this.#port.close();
  }
}
