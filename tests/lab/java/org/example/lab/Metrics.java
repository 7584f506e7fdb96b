package org.example.lab;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/*
 * Metrics in the Prometheus text format 0.0.4 under Micrometer's names, as a
 * Spring Boot service exposes them on /actuator/prometheus:
 * http_server_requests_seconds (histogram), process_cpu_usage,
 * jvm_gc_pause_seconds, jvm_threads_states_threads, jvm_memory_used_bytes.
 * Series are written in sorted order so a scrape is deterministic.
 */
final class Metrics {
    static final double[] BUCKETS = {
        0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075,
        0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0,
    };

    private static final class Histogram {
        final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets.incrementAndGet(i);
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<String, Histogram> requests = new TreeMap<>();

    /* Records one request: labels as Micrometer's WebMvc tags. */
    void record(String method, String uri, int status, double seconds) {
        String outcome = status < 200 ? "INFORMATIONAL" : status < 300 ? "SUCCESS"
            : status < 400 ? "REDIRECTION" : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
        String labels = "method=\"" + method + "\",outcome=\"" + outcome + "\",status=\""
            + status + "\",uri=\"" + uri + "\"";
        Histogram h;
        synchronized (requests) {
            h = requests.computeIfAbsent(labels, k -> new Histogram());
        }
        h.observe(seconds);
    }

    String scrape() {
        StringBuilder sb = new StringBuilder(8192);
        requestsText(sb);
        cpuText(sb);
        gcText(sb);
        threadsText(sb);
        memoryText(sb);
        return sb.toString();
    }

    private void requestsText(StringBuilder sb) {
        sb.append("# HELP http_server_requests_seconds Duration of HTTP server request handling\n");
        sb.append("# TYPE http_server_requests_seconds histogram\n");
        Map<String, Histogram> snap;
        synchronized (requests) {
            snap = new TreeMap<>(requests);
        }
        for (Map.Entry<String, Histogram> e : snap.entrySet()) {
            Histogram h = e.getValue();
            long count = h.count.sum();
            long cum = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cum += h.buckets.get(i);
                sb.append("http_server_requests_seconds_bucket{").append(e.getKey())
                    .append(",le=\"").append(BUCKETS[i]).append("\"} ").append(cum).append('\n');
            }
            sb.append("http_server_requests_seconds_bucket{").append(e.getKey())
                .append(",le=\"+Inf\"} ").append(count).append('\n');
            sb.append("http_server_requests_seconds_count{").append(e.getKey()).append("} ")
                .append(count).append('\n');
            sb.append("http_server_requests_seconds_sum{").append(e.getKey()).append("} ")
                .append(h.sum.sum()).append('\n');
        }
    }

    private static void cpuText(StringBuilder sb) {
        double load = -1;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean) {
            load = ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuLoad();
        }
        sb.append("# HELP process_cpu_usage The \"recent cpu usage\" for the Java Virtual Machine process\n");
        sb.append("# TYPE process_cpu_usage gauge\n");
        sb.append("process_cpu_usage ").append(load < 0 ? "NaN" : Double.toString(load)).append('\n');
    }

    private static void gcText(StringBuilder sb) {
        sb.append("# HELP jvm_gc_pause_seconds Time spent in GC pause\n");
        sb.append("# TYPE jvm_gc_pause_seconds summary\n");
        Map<String, GarbageCollectorMXBean> byName = new TreeMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            byName.put(gc.getName(), gc);
        }
        for (GarbageCollectorMXBean gc : byName.values()) {
            String labels = "{gc=\"" + gc.getName() + "\"}";
            sb.append("jvm_gc_pause_seconds_count").append(labels).append(' ')
                .append(Math.max(0, gc.getCollectionCount())).append('\n');
            sb.append("jvm_gc_pause_seconds_sum").append(labels).append(' ')
                .append(Math.max(0, gc.getCollectionTime()) / 1000.0).append('\n');
        }
    }

    private static void threadsText(StringBuilder sb) {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<Thread.State, Integer> states = new EnumMap<>(Thread.State.class);
        for (Thread.State s : Thread.State.values()) {
            states.put(s, 0);
        }
        for (ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null) {
                states.merge(ti.getThreadState(), 1, Integer::sum);
            }
        }
        sb.append("# HELP jvm_threads_states_threads The current number of threads\n");
        sb.append("# TYPE jvm_threads_states_threads gauge\n");
        Map<String, Integer> sorted = new TreeMap<>();
        for (Map.Entry<Thread.State, Integer> e : states.entrySet()) {
            sorted.put(e.getKey().name().toLowerCase().replace('_', '-'), e.getValue());
        }
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            sb.append("jvm_threads_states_threads{state=\"").append(e.getKey()).append("\"} ")
                .append(e.getValue()).append('\n');
        }
    }

    private static void memoryText(StringBuilder sb) {
        sb.append("# HELP jvm_memory_used_bytes The amount of used memory\n");
        sb.append("# TYPE jvm_memory_used_bytes gauge\n");
        Map<String, Long> sorted = new TreeMap<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String area = pool.getType() == MemoryType.HEAP ? "heap" : "nonheap";
            sorted.put("area=\"" + area + "\",id=\"" + pool.getName() + "\"", pool.getUsage().getUsed());
        }
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            sb.append("jvm_memory_used_bytes{").append(e.getKey()).append("} ")
                .append(e.getValue()).append('\n');
        }
    }
}
