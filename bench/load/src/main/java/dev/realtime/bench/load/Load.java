package dev.realtime.bench.load;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code java -jar load.jar <s1|s2|s3|s4|s5> --target ours|nchan --pid <server pid> [options]} runs one
 * scenario against a running server and prints its figures (and appends them as a JSON line to {@code --out});
 * {@code java -jar load.jar summary <file.jsonl>...} prints the medians (min-max) per scenario and target.
 * See bench/README.md.
 */
public final class Load {

    private Load() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: load.jar s1|s2|s3|s4|s5 --target ours|nchan --pid PID [--port P] [--out FILE]"
                    + " [scenario options]\n       load.jar summary FILE.jsonl...");
            System.exit(2);
        }
        if (args[0].equals("summary")) {
            Summary.print(Arrays.stream(args).skip(1).map(Path::of).toList());
            return;
        }
        String scenario = args[0];
        Options o = Options.parse(Arrays.asList(args).subList(1, args.length));
        String kind = o.string("target", "ours");
        String host = o.string("host", "127.0.0.1");
        long pid = Long.parseLong(o.string("pid", ""));
        // Source addresses to spread connections over (127.0.0.x when ephemeral ports run out); "" = the kernel's choice.
        List<String> sources = List.of(o.string("sources", "").split(",", -1));
        Path out = o.path("out", "");
        o.string("label", "");
        Target target;
        Tokens tokens = null;
        int port;
        if (kind.equals("ours")) {
            port = o.integer("port", 8081);
            tokens = new Tokens(o.path("key", "dev/keys/dev-private.pem"), o.string("issuer", "https://realtime.local"));
            target = new Ours(host, port, o.string("domain", "finance"), o.string("type", "transaction.updated"),
                    tokens.publisher());
        } else if (kind.equals("nchan")) {
            port = o.integer("port", 8090);
            target = new Nchan(host, port);
        } else {
            throw new IllegalArgumentException("--target is ours or nchan, not " + kind);
        }
        try (Run run = new Run(target, new Probe(pid), host, port, sources)) {
            Result result = switch (scenario) {
                case "s1" -> Scenarios.fanOut(run, o, tokens);
                case "s2" -> Scenarios.parkedCapacity(run, o, tokens);
                case "s3" -> Scenarios.throughput(run, o, tokens);
                case "s4" -> Scenarios.orgChurn(run, o);
                case "s5" -> Scenarios.soak(run, o, tokens);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
            result.print();
            result.append(out);
        }
        System.exit(0);
    }
}
