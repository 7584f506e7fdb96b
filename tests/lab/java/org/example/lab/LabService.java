package org.example.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/*
 * One replica of the lab service: a JDK-only HTTP server on 127.0.0.1 with
 * three API endpoints (search, price, product), Micrometer-named metrics on
 * /actuator/prometheus and a /health probe.
 *
 *   java org.example.lab.LabService --port P --name POD [--items N]
 *        [--seed S] [--price-sleep MS] [--workers N] [--lock-hold MS] [--fixed]
 *
 * --lock-hold MS (the lock-bound variant) records every search in a Ledger
 * whose synchronized commit() sleeps MS milliseconds holding its monitor.
 */
public final class LabService {
    private final String name;
    private final Search search;
    private final Prices prices;
    private final Metrics metrics = new Metrics();
    private final Ledger ledger;

    private LabService(String name, Search search, Prices prices, Ledger ledger) {
        this.name = name;
        this.search = search;
        this.prices = prices;
        this.ledger = ledger;
    }

    public static void main(String[] args) throws IOException {
        int port = 0, items = 400, workers = 16;
        long seed = 1, priceSleep = 5, lockHold = 0;
        boolean fixed = false;
        String name = "lab";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--fixed")) {
                fixed = true;
                continue;
            }
            if (i + 1 >= args.length) {
                usage("option '" + a + "' needs a value");
            }
            String v = args[++i];
            switch (a) {
            case "--port": port = intArg(a, v, 1, 65535); break;
            case "--name": name = v; break;
            case "--items": items = intArg(a, v, 1, 1000000); break;
            case "--seed": seed = intArg(a, v, 0, Integer.MAX_VALUE); break;
            case "--price-sleep": priceSleep = intArg(a, v, 0, 10000); break;
            case "--workers": workers = intArg(a, v, 1, 1024); break;
            case "--lock-hold": lockHold = intArg(a, v, 0, 10000); break;
            default: usage("unknown option '" + a + "'");
            }
        }
        if (port == 0) {
            usage("--port is required");
        }
        LabService svc = new LabService(name, new Search(items, seed, fixed), new Prices(priceSleep),
            lockHold > 0 && !fixed ? new Ledger(lockHold) : null);
        HttpServer server = HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        server.setExecutor(pool);
        server.createContext("/api/search", svc.timed("/api/search", svc::search));
        server.createContext("/api/price", svc.timed("/api/price", svc::price));
        server.createContext("/api/product", svc.timed("/api/product", svc::product));
        server.createContext("/actuator/prometheus", svc::prometheus);
        server.createContext("/health", ex -> reply(ex, 200, "text/plain", "ok\n"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            pool.shutdownNow();
        }));
        server.start();
        System.err.println("lab-service " + name + ": listening on 127.0.0.1:" + port
            + " items=" + items + (lockHold > 0 ? " lock-hold=" + lockHold : "")
            + (fixed ? " fixed" : ""));
    }

    private static void usage(String msg) {
        System.err.println("lab-service: " + msg);
        System.exit(1);
    }

    private static int intArg(String opt, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("option '" + opt + "': bad value '" + v + "'");
        return 0;
    }

    private interface Endpoint {
        String handle(String q);
    }

    /* Wraps an endpoint: GET only, a q parameter, timing into the histogram. */
    private HttpHandler timed(String uri, Endpoint ep) {
        return ex -> {
            long t0 = System.nanoTime();
            int status = 200;
            String body;
            try {
                if (!ex.getRequestMethod().equals("GET")) {
                    status = 405;
                    body = "{\"error\":\"method not allowed\"}\n";
                } else {
                    body = ep.handle(query(ex));
                }
            } catch (RuntimeException e) {
                status = 500;
                body = "{\"error\":\"internal\"}\n";
            }
            reply(ex, status, "application/json", body);
            metrics.record(ex.getRequestMethod(), uri, status, (System.nanoTime() - t0) / 1e9);
        };
    }

    private static String query(HttpExchange ex) {
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                if (kv.startsWith("q=")) {
                    return kv.substring(2);
                }
            }
        }
        return "";
    }

    private static int id(String q) {
        try {
            return Math.abs(Integer.parseInt(q));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String search(String q) {
        int hits = search.search(q.isEmpty() ? "steel" : q);
        if (ledger != null) {
            ledger.record(q);
        }
        return "{\"pod\":\"" + name + "\",\"q\":\"" + q.replaceAll("[^A-Za-z0-9]", "")
            + "\",\"hits\":" + hits + "}\n";
    }

    private String price(String q) {
        int id = id(q);
        return "{\"pod\":\"" + name + "\",\"id\":" + id + ",\"price\":" + prices.price(id) + "}\n";
    }

    private String product(String q) {
        int id = id(q);
        StringBuilder sb = new StringBuilder();
        sb.append("{\"pod\":\"").append(name).append("\",\"id\":").append(id).append(",\"tags\":[");
        for (int i = 0; i < 5; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(Integer.toHexString(id * 31 + i)).append('"');
        }
        return sb.append("]}\n").toString();
    }

    private void prometheus(HttpExchange ex) throws IOException {
        reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    private static void reply(HttpExchange ex, int status, String type, String body)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
