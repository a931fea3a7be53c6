package dev.stepbystep.shared.accounts;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one normalisation of an email address, for lookup, uniqueness and rate limits alike:
 * surrounding white space of any kind (tabs, no-break and ideographic spaces) removed, Unicode
 * compatibility forms folded (NFKC), so {@code " Victim@X"}, {@code "\tvictim@x"} and
 * {@code "\u3000victim@x"} are one address. Case is folded by PostgreSQL's {@code lower()} in
 * queries, the function the unique index uses, so lookup and uniqueness cannot disagree.
 */
public final class Emails {

    private Emails() {
    }

    /** The address as stored and looked up. */
    public static String normalize(String email) {
        String s = Normalizer.normalize(email, Normalizer.Form.NFKC);
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** A case-folded form for keys outside the database (rate-limit counters of unknown addresses). */
    public static String key(String email) {
        return normalize(email).toLowerCase(Locale.ROOT);
    }

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\u2060' || c == '\uFEFF';
    }
}
