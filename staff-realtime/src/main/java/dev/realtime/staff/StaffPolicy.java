package dev.realtime.staff;

import dev.realtime.service.policy.DomainPolicy;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Staff events are org-scoped. Leave requests live on their own stream ({@code stream=leave}) with their own
 * buffers, so a burst of leave requests never pushes staff events out of the main stream (or the reverse).
 */
@Singleton
public class StaffPolicy implements DomainPolicy {
    /** The secondary stream of leave requests. */
    public static final String LEAVE_STREAM = "leave";

    @Override
    public Set<String> secondaryStreams() {
        return Set.of(LEAVE_STREAM);
    }

    @Override
    public String streamOf(String type) {
        return type.startsWith("leave.") ? LEAVE_STREAM : MAIN_STREAM;
    }
}
