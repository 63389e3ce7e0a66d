package dev.realtime.service.problem;

/**
 * The error catalogue: every problem the service answers with, its HTTP status and fixed title. The
 * {@link #code()} strings are part of the wire contract (API.md): clients and tools switch on them.
 */
public enum ProblemCode {
    TOKEN_MISSING(401, "token_missing", "Missing bearer token"),
    TOKEN_INVALID(401, "token_invalid", "Invalid bearer token"),
    TOKEN_EXPIRED(401, "token_expired", "Expired bearer token"),
    GROUP_REQUIRED(403, "group_required", "The token lacks the group this operation needs"),
    ORG_CLAIM_MISSING(403, "org_claim_missing", "The token carries no orgId claim"),
    CURSOR_INVALID(400, "cursor_invalid", "Malformed cursor"),
    PARAMETER_INVALID(400, "parameter_invalid", "Invalid query parameter"),
    STREAM_UNKNOWN(400, "stream_unknown", "Unknown stream"),
    JSON_INVALID(400, "json_invalid", "Malformed JSON body"),
    EVENT_INVALID(400, "event_invalid", "Invalid event"),
    TYPE_NOT_ALLOWED(400, "type_not_allowed", "Event type not allowed in this domain"),
    PAYLOAD_TOO_LARGE(400, "payload_too_large", "Event payload too large"),
    BATCH_TOO_LARGE(413, "batch_too_large", "Batch too large"),
    MEDIA_TYPE_UNSUPPORTED(415, "media_type_unsupported", "Unsupported media type"),
    NOT_ACCEPTABLE(406, "not_acceptable", "No acceptable representation"),
    NOT_FOUND(404, "not_found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed"),
    TOO_MANY_POLLS(429, "too_many_polls", "Too many parked polls for this subject"),
    ORG_LIMIT(503, "org_limit", "Too many organisations buffered"),
    SHUTTING_DOWN(503, "shutting_down", "The service is shutting down"),
    LOG_UNAVAILABLE(503, "log_unavailable", "The shared event log is unavailable"),
    BAD_REQUEST(400, "bad_request", "Bad request"),
    INTERNAL(500, "internal", "Internal error");

    /** Prefix of every problem {@code type} URI; the code completes it. */
    public static final String TYPE_BASE = "https://realtime.local/problems/";

    private final int status;
    private final String code;
    private final String title;

    ProblemCode(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns the stable machine-readable code, e.g. {@code cursor_invalid}. */
    public String code() {
        return code;
    }

    /** Returns the fixed human-readable title. */
    public String title() {
        return title;
    }

    /** Returns the problem {@code type} URI. */
    public String type() {
        return TYPE_BASE + code;
    }

    /** Returns whether the answer carries {@code Retry-After} (the client should simply come back later). */
    public boolean retryable() {
        return status == 429 || status == 503;
    }
}
