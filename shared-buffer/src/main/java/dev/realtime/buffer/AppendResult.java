package dev.realtime.buffer;

/** The outcome of appending one event; every outcome is a value, none an exception. */
public sealed interface AppendResult {

    /** Returns the seq the event is (or already was) buffered at, or -1 when it was rejected. */
    long seq();

    /** The event was appended; {@code event} carries its seq (and its merged form when coalesced). */
    record Accepted(Event event, boolean coalesced) implements AppendResult {
        @Override
        public long seq() {
            return event.seq();
        }
    }

    /** An event with the same id was appended to this org within the TTL; nothing changed. */
    record Duplicate(long seq) implements AppendResult {}

    /** Nothing was appended: the org is not buffered and {@code maxOrgs} orgs already are. */
    record Rejected(Rejection reason) implements AppendResult {
        @Override
        public long seq() {
            return -1;
        }
    }
}
