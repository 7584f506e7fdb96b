package org.example;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

public class Hot {
    static String join(String a, boolean upper) {
        String s = a + "-" + a.length();
        return upper ? s.toUpperCase() : s;
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static long work(int n, IntUnaryOperator f) {
        long h = 0;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = join("item" + (i % 97), (i & 1) == 0);
            parts.add(s);
            h += s.hashCode() + f.applyAsInt(i);
            if (parts.size() > 1000) parts.clear();
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int t = 0; t < 2; t++) {
            final int k = t;
            pool.submit(() -> {
                long acc = 0;
                while (System.currentTimeMillis() < end)
                    acc += k == 0 ? work(20000, x -> x * 31 + 7) : fib(24);
                return acc;
            });
        }
        pool.shutdown();
        while (!pool.isTerminated()) Thread.sleep(100);
        System.out.println("done");
    }
}
