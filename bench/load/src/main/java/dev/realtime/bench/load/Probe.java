package dev.realtime.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server process from outside: CPU seconds and RSS from {@code /proc/<pid>}, and for a JVM the heap in use
 * right after a full GC (via {@code jcmd GC.run} and {@code jstat -gc} of the JDK the process runs on).
 */
final class Probe {

    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    Probe(long pid) {
        this.pid = pid;
    }

    /** User + system CPU seconds the process has used so far. */
    double cpuSeconds() {
        String stat = read("/proc/" + pid + "/stat");
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state) of proc(5); utime and stime are fields 14 and 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Resident set size in KiB. */
    long rssKiB() {
        for (String line : read("/proc/" + pid + "/status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    boolean isJvm() {
        return exe().getFileName().toString().equals("java");
    }

    /** Heap in use (KiB) right after a full collection; the JVM is asked for one first. */
    long heapAfterGcKiB() {
        Path bin = exe().getParent();
        run(List.of(bin.resolve("jcmd").toString(), Long.toString(pid), "GC.run"));
        String[] lines = run(List.of(bin.resolve("jstat").toString(), "-gc", Long.toString(pid))).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                used += Double.parseDouble(values[i]);
            }
        }
        return Math.round(used);
    }

    private Path exe() {
        try {
            return Path.of("/proc/" + pid + "/exe").toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the executable of pid " + pid, e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (is the server running?)", e);
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " interrupted", e);
        }
    }
}
