package dev.realtime.service.problem;

/**
 * A request the service refuses, carrying everything the problem+json answer needs. Thrown by resources and
 * validators; turned into a response by {@link ProblemMappers} only.
 */
public final class ProblemException extends RuntimeException {
    private final ProblemCode problem;
    private final Integer index;
    private final String field;

    /** Creates a problem; {@code detail} is a sentence for the client, without internals. */
    public ProblemException(ProblemCode problem, String detail) {
        this(problem, detail, null, null);
    }

    /**
     * Creates a problem about one item of a batch.
     *
     * @param index position of the item in the batch, or null when the body was a single event
     * @param field name of the offending field, or null when the item as a whole is wrong
     */
    public ProblemException(ProblemCode problem, String detail, Integer index, String field) {
        super(detail, null, false, false);
        this.problem = problem;
        this.index = index;
        this.field = field;
    }

    /** Returns the catalogue entry. */
    public ProblemCode problem() {
        return problem;
    }

    /** Returns the batch index of the offending item, or null. */
    public Integer index() {
        return index;
    }

    /** Returns the offending field, or null. */
    public String field() {
        return field;
    }
}
