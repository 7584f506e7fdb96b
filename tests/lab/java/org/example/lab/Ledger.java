package org.example.lab;

/*
 * The lock-bound variant's culprit: every search is recorded in a ledger
 * whose commit() is synchronized and makes a slow blocking call (a sleep
 * standing for a remote write) while it holds the monitor.  Requests queue
 * on the monitor, latency grows with concurrency, CPU stays flat: visible
 * in a wall-clock or lock profile, invisible in a CPU profile.
 */
final class Ledger {
    private final long holdMillis;
    private long entries;

    Ledger(long holdMillis) {
        this.holdMillis = holdMillis;
    }

    long record(String q) {
        return commit(q.length());
    }

    synchronized long commit(int size) {
        try {
            Thread.sleep(holdMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        entries += size;
        return entries;
    }
}
