package dev.realtime.buffer;

import java.util.List;
import java.util.Objects;

/**
 * The answer to "what happened in my org after this cursor?".
 *
 * @param events visible events after the cursor, oldest first, possibly capped; never null
 * @param cursor where the subscriber continues from: the last event returned when the batch was capped,
 *     else the domain head, which also covers events the subscriber may not see
 * @param reset whether the buffer cannot prove that the subscriber missed nothing (a drop after its cursor,
 *     a foreign epoch, or an org buffered anew since); {@code events} is then empty and the subscriber
 *     must refetch from the source of truth, then continue from {@code cursor}
 */
public record ReadResult(List<Event> events, Cursor cursor, boolean reset) {

    /** Validates that the list and cursor are present and that a reset carries no events. */
    public ReadResult {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(cursor, "cursor");
        if (reset && !events.isEmpty()) {
            throw new IllegalArgumentException("a reset carries no events");
        }
    }
}
