package org.example.lab;

import java.util.Random;
import java.util.regex.Pattern;

/*
 * The search endpoint's index: a list of product descriptions scanned on
 * every query.  The planted bottleneck is tokenize(): it compiles its
 * splitting pattern on every call and tests every token with
 * String.matches, which compiles a regex per token.  The "fixed" variant
 * (--fixed) scans the characters once and compares plainly.  A replica
 * started with a larger --items value does proportionally more of it.
 */
final class Search {
    private static final String DELIMS = ",;:/()[]-";
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

    /* Splits text into tokens and counts those equal to q, ignoring case. */
    int tokenize(String text, String q) {
        if (fixed) {
            return countTokens(text, q);
        }
        String[] tokens = Pattern.compile("[\\s,;:/()\\[\\]-]+").split(text);
        int n = 0;
        for (String t : tokens) {
            if (t.matches("(?i)" + Pattern.quote(q))) {
                n++;
            }
        }
        return n;
    }

    /* The fix: one pass over the characters, no regular expression. */
    private static int countTokens(String text, String q) {
        int n = 0, start = -1, len = text.length();
        for (int i = 0; i <= len; i++) {
            boolean delim = i == len || DELIMS.indexOf(text.charAt(i)) >= 0
                || Character.isWhitespace(text.charAt(i));
            if (!delim && start < 0) {
                start = i;
            } else if (delim && start >= 0) {
                if (i - start == q.length() && text.regionMatches(true, start, q, 0, q.length())) {
                    n++;
                }
                start = -1;
            }
        }
        return n;
    }
}
