package org.ldrtestbed.scenarios.check;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The closest known name to a misspelt one, when it is close enough to be the one meant. */
public final class DidYouMean {

    private DidYouMean() {}

    public static Optional<String> closest(String wrong, Collection<String> known) {
        String lower = wrong.toLowerCase(java.util.Locale.ROOT);
        return known.stream()
                .filter(k -> distance(lower, k.toLowerCase(java.util.Locale.ROOT)) <= Math.max(2, wrong.length() / 4))
                .min(Comparator.comparingInt((String k) -> distance(lower, k.toLowerCase(java.util.Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** "; did you mean 'x'?", or nothing. */
    public static String hint(String wrong, Collection<String> known) {
        return closest(wrong, known).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
