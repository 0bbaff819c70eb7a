package io.dualsync.mapping;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for names: the closest candidate within a small edit distance. */
public final class Suggest {
    private Suggest() {
    }

    /** The closest candidate, or null when none is close enough to be a likely typo. */
    public static String closest(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = wrong.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, wrong.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** {@code did you mean `x`?}, or null. */
    public static String hint(String wrong, Collection<String> candidates) {
        String c = closest(wrong, candidates);
        return c == null ? null : "did you mean `" + c + "`?";
    }

    /** Levenshtein edit distance between two strings (as given: callers decide about case). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
