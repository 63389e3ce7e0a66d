export { createRealtimeClient, electionGroup, subscribeUrl } from './realtimeClient.js';
export type { RealtimeClient, RealtimeClientOptions } from './realtimeClient.js';
export { AUTH_CONTROL_CHANNEL, isLogoutMessage } from './authControl.js';
export type { LogoutMessage } from './authControl.js';
export { DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { broadcastChannels, createMemoryChannels, eventsChannelName } from './channelBus.js';
export type { BusMessage } from './channelBus.js';
export { OnlineSource } from './onlineSource.js';
export type { OnlineEventSetup } from './onlineSource.js';
export { systemTimeouts } from './timeoutProvider.js';
export type { TimeoutProvider } from './timeoutProvider.js';
export type { LockManagerLike } from './webLockElector.js';
export type { StorageEvents, StorageLike } from './leaseElector.js';
export { worstConnection } from './types.js';
export type {
  ChannelFactory,
  ChannelPort,
  ClientConfig,
  ConnectionState,
  DomainStatus,
  FetchLike,
  RealtimeEvent,
  RealtimeListener,
  RealtimeNotification,
  RealtimeStatus,
  Role,
  SubscribeReply,
  TokenSource,
} from './types.js';
