// The load of the JFR tests and benchmark: regex CPU work, allocation,
// monitor contention (a lock held while sleeping), parking and a socket
// read, for the number of seconds given.
package org.example;

import java.io.*;
import java.net.*;
import java.util.*;
import java.util.concurrent.locks.LockSupport;

public class Load {
    static final Object LOCK = new Object();
    static volatile long sink;

    static long tokenize(String s) {
        long n = 0;
        for (String t : s.split("[ ,;]+")) if (t.matches("[a-z]+\\d*")) n += t.length();
        return n;
    }

    static void hold() throws InterruptedException {
        synchronized (LOCK) { Thread.sleep(15); }
    }

    public static void main(String[] a) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(a[0]) * 1000;
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread srv = new Thread(() -> {
            try (Socket c = ss.accept(); OutputStream o = c.getOutputStream()) {
                while (true) { Thread.sleep(30); o.write(new byte[64]); o.flush(); }
            } catch (Exception e) { }
        }, "server");
        srv.setDaemon(true);
        srv.start();
        Thread rd = new Thread(() -> {
            try (Socket c = new Socket(ss.getInetAddress(), ss.getLocalPort());
                 InputStream in = c.getInputStream()) {
                byte[] b = new byte[64];
                while (in.read(b) > 0) { }
            } catch (Exception e) { }
        }, "reader");
        rd.setDaemon(true);
        rd.start();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.currentTimeMillis() < end) {
                        hold();
                        LockSupport.parkNanos(2_000_000);
                    }
                } catch (InterruptedException e) { }
            }, "locker-" + i);
            t.setDaemon(true);
            t.start();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append("word").append(i).append(i % 3 == 0 ? ", " : " ");
        String text = sb.toString();
        List<byte[]> keep = new ArrayList<>();
        while (System.currentTimeMillis() < end) {
            sink += tokenize(text);
            keep.add(new byte[1 << 16]);
            if (keep.size() > 64) keep.clear();
        }
    }
}
