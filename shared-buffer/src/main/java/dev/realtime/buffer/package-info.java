/**
 * The framework-free core of the realtime services: bounded, short-lived per-org event buffers, the cursor
 * syntax, and parked reads ("waiters").
 *
 * <p>Concurrency contract: {@link dev.realtime.buffer.OrgBuffers} is the only entry point and is safe for
 * any number of threads. It serialises the operations of one org on that org's buffer monitor, held for
 * microseconds and never while calling back into user code; different orgs never contend. Waiter
 * callbacks run on the thread that completed them (an appending thread, an expiring timer, a draining
 * shutdown), outside every lock, exactly once. Value types ({@link dev.realtime.buffer.Event},
 * {@link dev.realtime.buffer.Cursor}, {@link dev.realtime.buffer.ReadResult}, ...) are immutable. Nothing
 * here reads the wall clock: time comes from a {@link dev.realtime.buffer.TimeSource}. Nothing here logs or
 * throws for expected outcomes: a full buffer, a stale cursor or an org limit are values.
 */
package dev.realtime.buffer;
