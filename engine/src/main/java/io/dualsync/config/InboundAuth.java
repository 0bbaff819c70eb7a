package io.dualsync.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * How callers of one of our endpoints prove who they are: the Dataverse webhook authentication types
 * (HttpHeader, WebhookKey, HttpQueryString) or none. Pure: the ingest and admin routes hand it the
 * request's header and query parameter lookups. {@code toString()} never shows the value.
 *
 * @param type  the kind of check
 * @param name  the header or query parameter name (HttpHeader, HttpQueryString); null otherwise
 * @param value the expected value; null for {@link Type#NONE}
 */
public record InboundAuth(Type type, String name, Secret value) {

    /** The query parameter Dataverse puts a WebhookKey in. */
    public static final String WEBHOOK_KEY_PARAMETER = "code";

    /** No authentication: every caller is let in. */
    public static final InboundAuth NONE = new InboundAuth(Type.NONE, null, null);

    public InboundAuth {
        Objects.requireNonNull(type, "type");
        if (type != Type.NONE && value == null) {
            throw new IllegalArgumentException(type.word() + " needs a value");
        }
        if ((type == Type.HTTP_HEADER || type == Type.HTTP_QUERY_STRING) && (name == null || name.isBlank())) {
            throw new IllegalArgumentException(type.word() + " needs the header or parameter name");
        }
    }

    /** HttpHeader: the header {@code name} must carry {@code value}. */
    public static InboundAuth httpHeader(String name, String value) {
        return new InboundAuth(Type.HTTP_HEADER, name, Secret.of(value));
    }

    /** WebhookKey: the query parameter {@value #WEBHOOK_KEY_PARAMETER} must carry {@code key}. */
    public static InboundAuth webhookKey(String key) {
        return new InboundAuth(Type.WEBHOOK_KEY, null, Secret.of(key));
    }

    /** HttpQueryString: the query parameter {@code name} must carry {@code value}. */
    public static InboundAuth httpQueryString(String name, String value) {
        return new InboundAuth(Type.HTTP_QUERY_STRING, name, Secret.of(value));
    }

    /** The authentication types, with their names as Dataverse's webhook registration writes them. */
    public enum Type {
        NONE("none"), HTTP_HEADER("HttpHeader"), WEBHOOK_KEY("WebhookKey"), HTTP_QUERY_STRING("HttpQueryString");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /**
     * Whether a request with these headers and query parameters passes, comparing in constant time.
     *
     * @param header     header name to value (case-insensitive names), null when absent
     * @param queryParam query parameter name to value, null when absent
     */
    public boolean accepts(Function<String, String> header, Function<String, String> queryParam) {
        switch (type) {
            case NONE:
                return true;
            case HTTP_HEADER:
                return value.matches(header.apply(name));
            case WEBHOOK_KEY:
                return value.matches(queryParam.apply(WEBHOOK_KEY_PARAMETER));
            case HTTP_QUERY_STRING:
                return value.matches(queryParam.apply(name));
            default:
                throw new IllegalStateException("unknown type " + type);
        }
    }

    /** Where a caller puts the credential, for a 401 message ("header X-Api-Key", "query parameter code"). */
    public String where() {
        switch (type) {
            case HTTP_HEADER:
                return "header " + name;
            case WEBHOOK_KEY:
                return "query parameter " + WEBHOOK_KEY_PARAMETER;
            case HTTP_QUERY_STRING:
                return "query parameter " + name;
            default:
                return "nothing";
        }
    }

    @Override
    public String toString() {
        return type == Type.NONE ? "none" : type.word() + (name == null ? "" : " " + name) + " " + Secret.MASK;
    }
}
