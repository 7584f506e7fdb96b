package org.example.lab;

import java.util.Random;
import java.util.regex.Pattern;

/*
 * The search endpoint's index: a list of product descriptions scanned on
 * every query.  The planted bottleneck is tokenize(), which compiles its
 * splitting pattern and a matcher for the query on every call (the "fixed"
 * variant uses precompiled patterns and a plain comparison).  A replica
 * started with a larger --items value does proportionally more of it.
 */
final class Search {
    private static final Pattern SPLIT = Pattern.compile("[\\s,;:/()\\[\\]-]+");
    private static final String[] WORDS = {
        "steel", "oak", "red", "blue", "widget", "gadget", "bolt", "nut", "lamp", "chair",
        "table", "cable", "small", "large", "matte", "gloss", "pack", "set", "pro", "mini",
    };

    private final String[] items;
    private final boolean fixed;

    Search(int count, long seed, boolean fixed) {
        Random rnd = new Random(seed);
        items = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            sb.append("item-").append(i).append(": ");
            for (int w = 0; w < 10; w++) {
                sb.append(WORDS[rnd.nextInt(WORDS.length)]);
                sb.append(w % 3 == 2 ? ", " : " ");
            }
            sb.append("(sku ").append(10000 + rnd.nextInt(90000)).append(')');
            items[i] = sb.toString();
        }
        this.fixed = fixed;
    }

    /* Number of items with a token equal to q (case-insensitive). */
    int search(String q) {
        int hits = 0;
        for (String item : items) {
            if (tokenize(item, q) > 0) {
                hits++;
            }
        }
        return hits;
    }

    /* Splits text into tokens and counts those matching q. */
    int tokenize(String text, String q) {
        String[] tokens;
        int n = 0;
        if (fixed) {
            tokens = SPLIT.split(text);
            for (String t : tokens) {
                if (t.equalsIgnoreCase(q)) {
                    n++;
                }
            }
            return n;
        }
        tokens = Pattern.compile("[\\s,;:/()\\[\\]-]+").split(text);
        Pattern want = Pattern.compile("^" + Pattern.quote(q) + "$", Pattern.CASE_INSENSITIVE);
        for (String t : tokens) {
            if (want.matcher(t).matches()) {
                n++;
            }
        }
        return n;
    }
}
