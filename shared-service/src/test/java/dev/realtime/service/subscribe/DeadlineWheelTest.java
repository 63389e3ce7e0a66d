package dev.realtime.service.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlineWheelTest {
    private static final long TICK = 32;

    /** An entry that records when it fired (the time of the advance call that fired it). */
    private static final class Probe extends DeadlineWheel.Entry {
        final long deadline;
        final long addedAt;
        long firedAt = -1;
        int fired;
        long now;
        int advanceNo;
        int firedIn = -1;
        Runnable alsoOnDeadline = () -> {};

        Probe(long deadline, long addedAt) {
            this.deadline = deadline;
            this.addedAt = addedAt;
        }

        @Override
        void onDeadline() {
            fired++;
            firedAt = now;
            firedIn = advanceNo;
            alsoOnDeadline.run();
        }
    }

    private static int advances;

    private static long advance(DeadlineWheel wheel, List<Probe> probes, long now) {
        advances++;
        for (Probe p : probes) {
            p.now = now;
            p.advanceNo = advances;
        }
        wheel.advance(now);
        return now;
    }

    @Test
    void firesNoEarlierThanTheDeadlineAndAtMostOneTickLate() {
        long start = 1_000_003;
        DeadlineWheel wheel = new DeadlineWheel(TICK, 25_000, start);
        Probe probe = new Probe(start + 25_000, start);
        wheel.add(probe, probe.deadline);
        List<Probe> probes = List.of(probe);
        for (long now = start; now < start + 26_000 && probe.fired == 0; now++) {
            advance(wheel, probes, now);
        }
        assertThat(probe.fired).isEqualTo(1);
        assertThat(probe.firedAt).isGreaterThanOrEqualTo(probe.deadline).isLessThan(probe.deadline + TICK);
        assertThat(probe.isScheduled()).isFalse();
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aRemovedEntryNeverFires_andRemovingTwiceOrAfterFiringDoesNothing() {
        DeadlineWheel wheel = new DeadlineWheel(TICK, 1_000, 0);
        Probe removed = new Probe(100, 0);
        Probe kept = new Probe(100, 0);
        wheel.add(removed, 100);
        wheel.add(kept, 100);
        wheel.remove(removed);
        wheel.remove(removed);
        assertThat(wheel.size()).isEqualTo(1);
        advance(wheel, List.of(removed, kept), 200);
        assertThat(removed.fired).isZero();
        assertThat(kept.fired).isEqualTo(1);
        wheel.remove(kept);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void anEntryMayRemoveAnotherOfItsSlotWhileFiring() {
        DeadlineWheel wheel = new DeadlineWheel(TICK, 1_000, 0);
        Probe first = new Probe(50, 0);
        Probe second = new Probe(50, 0);
        Probe third = new Probe(50, 0);
        wheel.add(first, 50);
        wheel.add(second, 50);
        wheel.add(third, 50);
        // Whichever fires first removes the other two; exactly one fires.
        first.alsoOnDeadline = () -> { wheel.remove(second); wheel.remove(third); };
        second.alsoOnDeadline = () -> { wheel.remove(first); wheel.remove(third); };
        third.alsoOnDeadline = () -> { wheel.remove(first); wheel.remove(second); };
        advance(wheel, List.of(first, second, third), 100);
        assertThat(first.fired + second.fired + third.fired).isEqualTo(1);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void deadlinesBeyondTheSpanWaitForTheirTime_andAStallFiresEverythingDue() {
        DeadlineWheel wheel = new DeadlineWheel(TICK, 100, 0);
        Probe far = new Probe(10_000, 0);
        Probe near = new Probe(50, 0);
        wheel.add(far, far.deadline);
        wheel.add(near, near.deadline);
        List<Probe> probes = List.of(far, near);
        for (long now = 0; now < 9_999; now += 7) {
            advance(wheel, probes, now);
        }
        assertThat(near.fired).isEqualTo(1);
        assertThat(far.fired).isZero();
        advance(wheel, probes, 1_000_000);
        assertThat(far.fired).isEqualTo(1);
        assertThat(far.firedAt).isEqualTo(1_000_000);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aFailingEntryDoesNotStopTheOthersDue() {
        DeadlineWheel wheel = new DeadlineWheel(TICK, 1_000, 0);
        Probe failing = new Probe(50, 0);
        Probe other = new Probe(50, 0);
        Probe later = new Probe(60, 0);
        failing.alsoOnDeadline = () -> {
            throw new IllegalStateException("boom");
        };
        wheel.add(failing, 50);
        wheel.add(other, 50);
        wheel.add(later, 60);
        List<Probe> probes = List.of(failing, other, later);
        assertThatThrownBy(() -> advance(wheel, probes, 100)).hasMessage("boom");
        assertThat(failing.fired + other.fired + later.fired).isEqualTo(3);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void addingAScheduledEntryIsRefused() {
        DeadlineWheel wheel = new DeadlineWheel(TICK, 1_000, 0);
        Probe probe = new Probe(10, 0);
        wheel.add(probe, 10);
        assertThatThrownBy(() -> wheel.add(probe, 20)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Random adds (also of deadlines already past or beyond the span), removes and irregular advances against
     * the contract: every entry not removed fires exactly once, at the first advance at or after both its
     * deadline and the end of the tick it was added in, plus at most one tick; removed ones never fire.
     */
    @Test
    void randomScheduleAgainstTheContract() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            long now = random.nextInt(1_000_000) - 500_000;
            DeadlineWheel wheel = new DeadlineWheel(TICK, 2_000, now);
            List<Probe> all = new ArrayList<>();
            List<Probe> live = new ArrayList<>();
            List<Probe> removed = new ArrayList<>();
            long lastAdvance = now;
            for (int step = 0; step < 3_000; step++) {
                int action = random.nextInt(10);
                if (action < 5) {
                    Probe p = new Probe(now + random.nextInt(3_000) - 100, now);
                    wheel.add(p, p.deadline);
                    all.add(p);
                    live.add(p);
                } else if (action < 6 && !live.isEmpty()) {
                    Probe p = live.remove(random.nextInt(live.size()));
                    if (p.fired == 0) {
                        wheel.remove(p);
                        removed.add(p);
                    }
                } else {
                    now += random.nextInt(60);
                    long before = lastAdvance;
                    lastAdvance = advance(wheel, all, now);
                    for (Probe p : all) {
                        if (p.firedIn == advances) {
                            long due = Math.max(p.deadline, (Math.floorDiv(p.addedAt, TICK) + 1) * TICK);
                            assertThat(now).as("seed %d", seed).isGreaterThanOrEqualTo(p.deadline);
                            assertThat(before).as("fired late, seed %d", seed).isLessThan(due + TICK);
                        }
                    }
                }
            }
            advance(wheel, all, now + 10_000);
            for (Probe p : all) {
                assertThat(p.fired).as("seed %d", seed).isEqualTo(removed.contains(p) ? 0 : 1);
            }
            assertThat(wheel.size()).as("seed %d", seed).isZero();
        }
    }
}
