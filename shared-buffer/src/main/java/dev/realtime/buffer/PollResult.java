package dev.realtime.buffer;

/** The outcome of a read or a poll: answered now, parked until an event, a timeout or a cancel, or refused. */
public sealed interface PollResult {

    /** Answered at once: events after the cursor existed, a reset was due, or the caller would not wait. */
    record Answered(ReadResult result) implements PollResult {}

    /** Nothing new: the poll is parked; its callback receives the answer exactly once, unless cancelled. */
    record Parked(Waiter waiter) implements PollResult {}

    /** Refused; nothing was registered. */
    record Rejected(Rejection reason) implements PollResult {}
}
