package dev.realtime.buffer;

/** Why the buffers refused an operation: an overload, answered by the service with 503 and Retry-After. */
public enum Rejection {
    /** The org is not buffered and the limit of buffered orgs is reached. */
    ORG_LIMIT
}
