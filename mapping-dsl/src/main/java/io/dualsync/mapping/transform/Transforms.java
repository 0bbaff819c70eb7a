package io.dualsync.mapping.transform;

import io.dualsync.mapping.MappingException;
import io.dualsync.mapping.expr.ValueFn;
import io.dualsync.mapping.expr.Values;
import io.dualsync.mapping.schema.FieldType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.ParseException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The transforms a pipeline can use. All are pure functions of the value (and, for
 * {@code concat}, {@code coalesce} and {@code when}, of other fields of the source record).
 * A null value passes through every transform unchanged except {@code coalesce} and {@code when}.
 */
public final class Transforms {
    private static final Map<String, Transform> ALL = new LinkedHashMap<>();

    static {
        normalizer("trim", "removes leading and trailing white space", String::strip);
        normalizer("upper", "upper-cases (root locale)", s -> s.toUpperCase(Locale.ROOT));
        normalizer("lower", "lower-cases (root locale)", s -> s.toLowerCase(Locale.ROOT));

        add(new Def("concat", "appends its arguments (literals or fields) to the value", 1, Integer.MAX_VALUE,
                i -> false, Transform.Inversion.ONE_WAY, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                ValueFn[] parts = args.toArray(new ValueFn[0]);
                return (r, v) -> {
                    StringBuilder b = new StringBuilder();
                    if (v != null) {
                        b.append(text(v));
                    }
                    for (ValueFn p : parts) {
                        Object x = p.apply(r, v);
                        if (x != null) {
                            b.append(text(x));
                        }
                    }
                    return b.toString();
                };
            }
        });
        add(new Def("substring", "characters from a 0-based start, optionally at most a length", 1, 2,
                i -> true, Transform.Inversion.ONE_WAY, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                int start = intLiteral(literals.get(0), "start");
                int length = literals.size() > 1 ? intLiteral(literals.get(1), "length") : -1;
                return strings(s -> {
                    int from = Math.min(start, s.length());
                    int to = length < 0 ? s.length() : Math.min(s.length(), from + length);
                    return s.substring(from, to);
                });
            }
        });
        add(new Def("replace", "replaces every occurrence of a text by another", 2, 2,
                i -> true, Transform.Inversion.ONE_WAY, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                String from = stringLiteral(literals.get(0), "text to replace");
                String to = stringLiteral(literals.get(1), "replacement");
                if (from.isEmpty()) {
                    throw new IllegalArgumentException("the text to replace is empty");
                }
                return strings(s -> s.replace(from, to));
            }
        });
        add(new Def("coalesce", "the value, or the first of its arguments that is neither null nor empty", 1,
                Integer.MAX_VALUE, i -> false, Transform.Inversion.ONE_WAY, t -> t) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                ValueFn[] alternatives = args.toArray(new ValueFn[0]);
                return (r, v) -> {
                    if (!blank(v)) {
                        return v;
                    }
                    for (ValueFn a : alternatives) {
                        Object x = a.apply(r, v);
                        if (!blank(x)) {
                            return x;
                        }
                    }
                    return null;
                };
            }
        });
        add(new Def("when", "`when CONDITION then A else B`: A when the condition holds, else B", 3, 3,
                i -> false, Transform.Inversion.ONE_WAY, t -> null) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                ValueFn cond = args.get(0);
                ValueFn then = args.get(1);
                ValueFn otherwise = args.get(2);
                return (r, v) -> Values.isTrue(cond.apply(r, v)) ? then.apply(r, v) : otherwise.apply(r, v);
            }
        });
        add(new Def("prefix", "puts a text in front; the way back removes it", 1, 1,
                i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                String p = stringLiteral(literals.get(0), "prefix");
                return strings(s -> p + s);
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                String p = stringLiteral(literals.get(0), "prefix");
                return strings(s -> s.startsWith(p) ? s.substring(p.length()) : s);
            }
        });
        add(new Def("suffix", "puts a text after; the way back removes it", 1, 1,
                i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                String p = stringLiteral(literals.get(0), "suffix");
                return strings(s -> s + p);
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                String p = stringLiteral(literals.get(0), "suffix");
                return strings(s -> s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
            }
        });
        add(new Def("scale", "multiplies a number by a factor; the way back divides", 1, 1,
                i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.DECIMAL) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                BigDecimal f = factor(literals.get(0));
                return numbers("scale", d -> d.multiply(f));
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                BigDecimal f = factor(literals.get(0));
                return numbers("scale", d -> d.divide(f, MathContext.DECIMAL64));
            }
        });
        add(new Def("format-number", "formats a number with a java.text.DecimalFormat pattern (\"0.00\"); the way back parses",
                1, 1, i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                String pattern = decimalPattern(literals.get(0));
                return numbers("format-number", d -> newFormat(pattern).format(d));
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                return parseNumber(decimalPattern(literals.get(0)));
            }
        });
        add(new Def("parse-number", "parses a text with a java.text.DecimalFormat pattern; the way back formats",
                1, 1, i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.DECIMAL) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                return parseNumber(decimalPattern(literals.get(0)));
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                String pattern = decimalPattern(literals.get(0));
                return numbers("parse-number", d -> newFormat(pattern).format(d));
            }
        });
        add(new Def("format-date", "formats an ISO date or date-time with a java.time pattern (\"dd/MM/yyyy\"); the way back parses",
                1, 1, i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                DateTimeFormatter f = datePattern(literals.get(0));
                return strings(s -> f.format(isoTemporal(s)));
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                return parseDate(datePattern(literals.get(0)));
            }
        });
        add(new Def("parse-date", "parses a text with a java.time pattern into an ISO date or date-time; the way back formats",
                1, 1, i -> true, Transform.Inversion.INVERTIBLE, t -> FieldType.DATETIME) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                return parseDate(datePattern(literals.get(0)));
            }

            @Override
            public ValueFn inverse(List<ValueFn> args, List<Object> literals) {
                DateTimeFormatter f = datePattern(literals.get(0));
                return strings(s -> f.format(isoTemporal(s)));
            }
        });
    }

    private Transforms() {
    }

    public static Transform get(String name) {
        return ALL.get(name);
    }

    public static Collection<Transform> all() {
        return ALL.values();
    }

    private static void add(Transform t) {
        ALL.put(t.name(), t);
    }

    private static void normalizer(String name, String summary, UnaryOperator<String> f) {
        add(new Def(name, summary, 0, 0, i -> false, Transform.Inversion.NORMALIZER, t -> FieldType.STRING) {
            @Override
            public ValueFn build(List<ValueFn> args, List<Object> literals) {
                return strings(f::apply);
            }
        });
    }

    private static ValueFn strings(Function<String, Object> f) {
        return (r, v) -> v == null ? null : f.apply(text(v));
    }

    private static ValueFn numbers(String name, Function<BigDecimal, Object> f) {
        return (r, v) -> {
            if (v == null) {
                return null;
            }
            BigDecimal d = v instanceof Number n ? Values.decimal(n) : Values.parseDecimal(v.toString());
            if (d == null) {
                throw new MappingException(null, name + " needs a number, got " + Values.show(v));
            }
            return f.apply(d);
        };
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }

    private static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isEmpty());
    }

    private static int intLiteral(Object v, String what) {
        if (v instanceof BigDecimal d) {
            try {
                int i = d.intValueExact();
                if (i >= 0) {
                    return i;
                }
            } catch (ArithmeticException e) {
                // falls through to the message
            }
        }
        throw new IllegalArgumentException("the " + what + " must be a whole number of 0 or more, got " + Values.show(v));
    }

    private static String stringLiteral(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("the " + what + " must be a string, got " + Values.show(v));
    }

    private static BigDecimal factor(Object v) {
        if (v instanceof BigDecimal d && d.signum() != 0) {
            return d;
        }
        throw new IllegalArgumentException("the factor must be a number other than 0, got " + Values.show(v));
    }

    private static String decimalPattern(Object v) {
        String p = stringLiteral(v, "pattern");
        try {
            newFormat(p);
            return p;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + p + "` is not a number pattern: " + e.getMessage());
        }
    }

    private static DecimalFormat newFormat(String pattern) {
        // DecimalFormat is not thread-safe: one per call keeps steps pure.
        DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setParseBigDecimal(true);
        return f;
    }

    private static ValueFn parseNumber(String pattern) {
        return strings(s -> {
            try {
                return newFormat(pattern).parse(s.strip());
            } catch (ParseException e) {
                throw new MappingException(null, "\"" + s + "\" does not match the number pattern \"" + pattern + "\"");
            }
        });
    }

    private static DateTimeFormatter datePattern(Object v) {
        String p = stringLiteral(v, "pattern");
        try {
            return DateTimeFormatter.ofPattern(p, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + p + "` is not a date pattern: " + e.getMessage());
        }
    }

    private static TemporalAccessor isoTemporal(String s) {
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s);
            }
            return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MappingException(null, "\"" + s + "\" is not an ISO date or date-time");
        }
    }

    private static ValueFn parseDate(DateTimeFormatter f) {
        return strings(s -> {
            try {
                TemporalAccessor t = f.parse(s.strip());
                if (t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)) {
                    return java.time.LocalDateTime.from(t).atOffset(ZoneOffset.UTC).toString();
                }
                return LocalDate.from(t).toString();
            } catch (java.time.DateTimeException e) {
                throw new MappingException(null, "\"" + s + "\" does not match the date pattern");
            }
        });
    }

    /** A transform defined by its properties and a build function. */
    private abstract static class Def implements Transform {
        private final String name;
        private final String summary;
        private final int min;
        private final int max;
        private final java.util.function.IntPredicate literal;
        private final Inversion inversion;
        private final UnaryOperator<FieldType> result;

        Def(String name, String summary, int min, int max, java.util.function.IntPredicate literal,
            Inversion inversion, UnaryOperator<FieldType> result) {
            this.name = name;
            this.summary = summary;
            this.min = min;
            this.max = max;
            this.literal = literal;
            this.inversion = inversion;
            this.result = result;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return summary;
        }

        @Override
        public int minArgs() {
            return min;
        }

        @Override
        public int maxArgs() {
            return max;
        }

        @Override
        public boolean literalArg(int i) {
            return literal.test(i);
        }

        @Override
        public Inversion inversion() {
            return inversion;
        }

        @Override
        public FieldType resultType(FieldType input) {
            return result.apply(input);
        }
    }

}
