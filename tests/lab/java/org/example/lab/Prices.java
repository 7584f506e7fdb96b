package org.example.lab;

/*
 * The price endpoint's cache.  refresh() is synchronized and sleeps while
 * holding the lock (a slow upstream call made under a monitor), so
 * concurrent price requests queue behind it: visible in a wall-clock or
 * lock profile, nearly invisible in a CPU profile.
 */
final class Prices {
    private long version;
    private final long sleepMillis;

    Prices(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    double price(int id) {
        long v = refresh();
        return 1.0 + (id % 1000) / 10.0 + (v % 7) / 100.0;
    }

    synchronized long refresh() {
        try {
            Thread.sleep(sleepMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ++version;
    }
}
