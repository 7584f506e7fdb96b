package org.example.lab;

/*
 * The container tests' target JVM: no HTTP, no files, only the lab's
 * planted culprit kept busy.  A few threads call Search.search (whose
 * tokenize() compiles regexes per call and per token) in a loop, pausing
 * briefly between queries so the JVM stays responsive to attach requests
 * on a shared machine.  It runs until it is stopped (SIGTERM ends it).
 *
 *   java org.example.lab.ContainerFixture [THREADS] [ITEMS]
 */
public final class ContainerFixture {
    private static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Search search = new Search(items, 1, false);
        String[] queries = {"oak", "widget", "matte", "pro", "cable"};
        for (int t = 0; t < threads; t++) {
            final int first = t;
            Thread w = new Thread(() -> {
                int i = first;
                while (true) {
                    sink += search.search(queries[i++ % queries.length]);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "worker-" + t);
            w.setDaemon(false);
            w.start();
        }
        System.out.println("fixture: " + threads + " threads over " + items + " items");
    }
}
