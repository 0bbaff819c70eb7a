package io.dualsync.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of one mapping file and where its lines start, so spans can be turned into
 * {@code line:col} and the offending line can be quoted. Immutable; safe to share between threads.
 */
public final class SourceFile {
    private final String path;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String path, String text) {
        this.path = Objects.requireNonNull(path);
        this.text = Objects.requireNonNull(text);
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** 1-based line of an offset. */
    public int line(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** 1-based column of an offset (counted in characters). */
    public int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    /** The text of a 1-based line, without its line break. */
    public String lineText(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, Math.max(start, end));
    }

    public int lineCount() {
        return lineStarts.length;
    }
}
