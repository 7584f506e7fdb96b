package org.example.lab;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/*
 * A small load driver that writes JMeter 5.6's default CSV results (header
 * line, 17 columns).  Two thread groups as a JMeter plan would have them:
 * "steady" threads cycling search, price and product for the whole run, and
 * "burst" threads hammering search between two offsets.  Bounded in time
 * (--duration, plus one request timeout) and in count (--max-samples).
 * With --warmup S the steady threads first run S seconds unrecorded (as a
 * JMeter warm-up group that writes no results), so neither this JVM's nor
 * the service's JIT warm-up is in the results.  With --exit-delay MS a
 * driver ended by a signal (SIGTERM, SIGINT) takes MS more milliseconds to
 * exit, as a JMeter still flushing its results would: the lab's tests use
 * it to check that a capture's cleanup waits for its load driver to end.
 *
 *   java org.example.lab.LoadDriver --base URL --out FILE[.gz] [--duration S]
 *        [--threads N] [--burst-threads N] [--burst-start S] [--burst-end S]
 *        [--warmup S] [--timeout MS] [--max-samples N] [--seed N]
 *        [--exit-delay MS]
 *
 * Exit status: 0 done, 1 usage, 2 output failure or no successful sample.
 */
public final class LoadDriver {
    static final String HEADER = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
        + "dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,"
        + "IdleTime,Connect";
    private static final String[] STEADY = {"/api/search", "/api/price", "/api/product"};

    private final String base;
    private final HttpClient client;
    private final Writer out;
    private final long recordFrom, timeoutMillis, maxSamples;
    private final AtomicInteger allThreads = new AtomicInteger();
    private final AtomicLong samples = new AtomicLong(), failures = new AtomicLong();
    private IOException writeError;
    private static volatile boolean finished;

    private LoadDriver(String base, Writer out, long recordFrom, long timeoutMillis, long maxSamples) {
        this.base = base;
        this.out = out;
        this.recordFrom = recordFrom;
        this.timeoutMillis = timeoutMillis;
        this.maxSamples = maxSamples;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(timeoutMillis)).build();
    }

    public static void main(String[] args) throws Exception {
        String base = null, outPath = null;
        long duration = 30, threads = 6, burstThreads = 12, burstStart = 10, burstEnd = 25;
        long timeout = 5000, maxSamples = 1000000, seed = 1, warmup = 0, exitDelay = 0;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("option '" + args[i] + "' needs a value");
            }
            String a = args[i], v = args[i + 1];
            switch (a) {
            case "--base": base = v.replaceAll("/+$", ""); break;
            case "--out": outPath = v; break;
            case "--duration": duration = num(a, v, 1, 3600); break;
            case "--threads": threads = num(a, v, 1, 256); break;
            case "--burst-threads": burstThreads = num(a, v, 0, 256); break;
            case "--burst-start": burstStart = num(a, v, 0, 3600); break;
            case "--burst-end": burstEnd = num(a, v, 0, 3600); break;
            case "--warmup": warmup = num(a, v, 0, 3600); break;
            case "--timeout": timeout = num(a, v, 1, 600000); break;
            case "--max-samples": maxSamples = num(a, v, 1, Long.MAX_VALUE); break;
            case "--seed": seed = num(a, v, 0, Long.MAX_VALUE); break;
            case "--exit-delay": exitDelay = num(a, v, 0, 60000); break;
            default: usage("unknown option '" + a + "'");
            }
        }
        if (base == null || outPath == null) {
            usage("--base and --out are required");
        }
        if (burstEnd > duration || burstStart > burstEnd) {
            usage("the burst must lie within the run: 0 <= burst-start <= burst-end <= duration");
        }
        OutputStream os = new FileOutputStream(outPath);
        if (outPath.endsWith(".gz")) {
            os = new GZIPOutputStream(os, 65536);
        }
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 65536);
        w.write(HEADER);
        w.write('\n');
        if (exitDelay > 0) {
            final long ms = exitDelay;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!finished) {
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
        }
        long start = System.currentTimeMillis() + warmup * 1000;
        LoadDriver d = new LoadDriver(base, w, start, timeout, maxSamples);
        List<Thread> all = new ArrayList<>();
        AtomicInteger steadyActive = new AtomicInteger(), burstActive = new AtomicInteger();
        for (int i = 1; i <= threads; i++) {
            all.add(d.group("steady 1-" + i, STEADY, start - warmup * 1000, start + duration * 1000,
                steadyActive, new Random(seed * 1000 + i)));
        }
        for (int i = 1; i <= burstThreads; i++) {
            all.add(d.group("burst 2-" + i, new String[] {"/api/search"}, start + burstStart * 1000,
                start + burstEnd * 1000, burstActive, new Random(seed * 1000 + 500 + i)));
        }
        for (Thread t : all) {
            t.start();
        }
        for (Thread t : all) {
            t.join();
        }
        try {
            w.close();
        } catch (IOException e) {
            d.writeError = e;
        }
        finished = true;
        System.err.println("load-driver: " + d.samples.get() + " samples, " + d.failures.get()
            + " failed");
        if (d.writeError != null) {
            System.err.println("load-driver: " + outPath + ": " + d.writeError.getMessage());
            System.exit(2);
        }
        if (d.samples.get() == d.failures.get()) {
            System.err.println("load-driver: no successful sample from " + base);
            System.exit(2);
        }
    }

    private static void usage(String msg) {
        System.err.println("load-driver: " + msg);
        System.exit(1);
    }

    private static long num(String opt, String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("option '" + opt + "': bad value '" + v + "'");
        return 0;
    }

    private Thread group(String name, String[] paths, long from, long until, AtomicInteger active,
                         Random rnd) {
        Thread t = new Thread(() -> {
            sleepUntil(from);
            active.incrementAndGet();
            allThreads.incrementAndGet();
            try {
                for (int i = 0; System.currentTimeMillis() < until && samples.get() < maxSamples; i++) {
                    String path = paths[i % paths.length];
                    String q = path.equals("/api/search") ? Integer.toString(10000 + rnd.nextInt(90000))
                        : Integer.toString(1 + rnd.nextInt(50));
                    sample(name, path, q, active.get());
                }
            } finally {
                active.decrementAndGet();
                allThreads.decrementAndGet();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepUntil(long when) {
        long now;
        while ((now = System.currentTimeMillis()) < when) {
            try {
                Thread.sleep(when - now);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(String thread, String path, String q, int grp) {
        String url = base + path + "?q=" + q;
        String label = "GET " + path;
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMillis(timeoutMillis)).GET().build();
        long sent = 24 + path.length() + q.length() + base.length() + 60;
        long t0 = System.currentTimeMillis();
        long n0 = System.nanoTime();
        String code, msg, failure = "";
        boolean ok;
        long bytes = 0, latency;
        try {
            HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            latency = (System.nanoTime() - n0) / 1000000;
            try (InputStream in = r.body()) {
                bytes = in.readAllBytes().length;
            }
            int status = r.statusCode();
            bytes += 17 + r.headers().map().entrySet().stream()
                .mapToLong(e -> e.getKey().length() + 4 + String.join(",", e.getValue()).length())
                .sum();
            code = Integer.toString(status);
            msg = reason(status);
            ok = status >= 200 && status < 400;
        } catch (IOException | RuntimeException e) {
            latency = 0;
            code = "Non HTTP response code: " + e.getClass().getName();
            msg = "Non HTTP response message: " + e.getMessage();
            ok = false;
            sent = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long elapsed = (System.nanoTime() - n0) / 1000000;
        if (!ok && code.startsWith("Non HTTP")) {
            failure = msg;
        }
        String row = t0 + "," + elapsed + "," + csv(label) + "," + csv(code) + "," + csv(msg) + ","
            + csv(thread) + ",text," + ok + "," + csv(failure) + "," + bytes + "," + sent + ","
            + grp + "," + allThreads.get() + "," + csv(url) + "," + latency + ",0,0\n";
        write(t0, row, ok);
    }

    private synchronized void write(long started, String row, boolean ok) {
        if (started < recordFrom || samples.get() >= maxSamples || writeError != null) {
            return;
        }
        try {
            out.write(row);
            samples.incrementAndGet();
            if (!ok) {
                failures.incrementAndGet();
            }
        } catch (IOException e) {
            writeError = e;
        }
    }

    private static String reason(int status) {
        switch (status) {
        case 200: return "OK";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Time-out";
        default: return "";
        }
    }

    /* RFC 4180 quoting, as JMeter's CSV writer does for fields with , " or newlines. */
    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
