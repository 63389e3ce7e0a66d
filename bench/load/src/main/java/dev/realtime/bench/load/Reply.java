package dev.realtime.bench.load;

/** One poll reply as the load tool sees it: the new position and the benchmark events it carried. */
final class Reply {

    final String cursor;
    final boolean reset;
    int count;
    int[] orgs = new int[4];
    long[] seqs = new long[4];
    long[] sent = new long[4];

    Reply(String cursor, boolean reset) {
        this.cursor = cursor;
        this.reset = reset;
    }

    void add(int org, long seq, long sentNanos) {
        if (count == orgs.length) {
            orgs = java.util.Arrays.copyOf(orgs, count * 2);
            seqs = java.util.Arrays.copyOf(seqs, count * 2);
            sent = java.util.Arrays.copyOf(sent, count * 2);
        }
        orgs[count] = org;
        seqs[count] = seq;
        sent[count] = sentNanos;
        count++;
    }
}
