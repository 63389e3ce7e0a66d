package dev.realtime.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.buffer.Event;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.json.EventJson;
import dev.realtime.service.policy.DomainPolicy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * Users events are sensitive. Subscribers outside the admin group get payloads reduced to
 * {@code realtime.redaction.visible-fields}; a {@code user.role_changed} about the caller's own subject is
 * delivered as {@code permissions.changed}, so the client refetches its permissions. Rendering depends on the
 * subscriber, so replies are built per subscriber: acceptable for a domain with very few events.
 */
@Singleton
public class UsersPolicy implements DomainPolicy {
    /** The type that tells a client its own permissions changed. */
    public static final String PERMISSIONS_CHANGED = "permissions.changed";
    static final String ROLE_CHANGED = "user.role_changed";

    private final ObjectMapper mapper;
    private final String adminGroup;
    private final Set<String> visibleFields;

    @Inject
    UsersPolicy(ObjectMapper mapper, RealtimeConfig config) {
        this(mapper, config.auth().adminGroup(), config.redaction().visibleFields().orElse(List.of()));
    }

    /** Creates the policy with explicit settings (tests). */
    public UsersPolicy(ObjectMapper mapper, String adminGroup, List<String> visibleFields) {
        this.mapper = mapper;
        this.adminGroup = adminGroup;
        this.visibleFields = Set.copyOf(visibleFields);
    }

    @Override
    public boolean rendersPerSubject() {
        return true;
    }

    @Override
    public byte[] render(Subject subject, Event event) {
        boolean admin = subject.inGroup(adminGroup);
        boolean ownRoleChange = ROLE_CHANGED.equals(event.type()) && event.entityId().equals(subject.sub());
        if (admin && !ownRoleChange) {
            return event.json();
        }
        ObjectNode json = (ObjectNode) EventJson.readTree(event.json(), mapper);
        if (ownRoleChange) {
            json.put("type", PERMISSIONS_CHANGED);
        }
        if (!admin) {
            JsonNode payload = json.get("payload");
            ObjectNode visible = mapper.createObjectNode();
            if (payload instanceof ObjectNode object) {
                object.fields().forEachRemaining(field -> {
                    if (visibleFields.contains(field.getKey())) {
                        visible.set(field.getKey(), field.getValue());
                    }
                });
            }
            json.set("payload", visible);
            json.put("redacted", true);
        }
        return EventJson.write(json, mapper);
    }
}
