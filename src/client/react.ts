import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { RealtimeClient } from './realtimeClient.js';
import type { RealtimeListener, RealtimeStatus } from './types.js';

/**
 * Returns the client's status and re-renders when it changes; `onNotification` (optional)
 * is called for every notification and may change between renders without resubscribing.
 * Create the client once per page (outside render, or in a module) and pass it in.
 */
export function useRealtime(
  client: Pick<RealtimeClient, 'subscribe' | 'status'>,
  onNotification?: RealtimeListener,
): RealtimeStatus {
  const listenerRef = useRef<RealtimeListener | undefined>(onNotification);
  useEffect(() => {
    listenerRef.current = onNotification;
  }, [onNotification]);

  useEffect(
    () =>
      client.subscribe((notification) => {
        if (notification.type !== 'status') listenerRef.current?.(notification);
      }),
    [client],
  );

  const subscribe = useCallback(
    (onStoreChange: () => void) =>
      client.subscribe((notification) => {
        if (notification.type === 'status' || notification.type === 'logout') onStoreChange();
      }),
    [client],
  );
  const getSnapshot = useCallback(() => client.status, [client]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
