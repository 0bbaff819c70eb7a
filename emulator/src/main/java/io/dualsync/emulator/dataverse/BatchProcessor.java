package io.dualsync.emulator.dataverse;

import io.dualsync.emulator.EmulatorContext;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST $batch} as execute-batch-operations-using-web-api.md describes it: a multipart/mixed body
 * of {@code application/http} requests and change sets, run in order through {@link Operations} (not
 * over HTTP). A change set is one {@link UnitOfWork}: all its writes commit, or none do and no event is
 * published. {@code Content-ID} values name created rows for {@code $n} references later in the batch.
 * Without {@code Prefer: odata.continue-on-error} the batch stops at the first failure and answers with
 * that failure's status; with it, every part runs and the batch answers 200. A batch holds at most
 * 1,000 requests. Runs on the event loop.
 */
final class BatchProcessor {
    static final int MAX_REQUESTS = 1000;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"?)([^\";,]+)\\1", Pattern.CASE_INSENSITIVE);
    private static final Pattern API_PATH = Pattern.compile("^(?:https?://[^/]+)?/api/data/v9\\.\\d+/");

    /** One request of a batch, as written in its part. */
    record Part(String contentId, String method, String url, Map<String, String> headers, String body) {
    }

    /** The requests of one change set. */
    record ChangeSet(List<Part> parts) {
    }

    private final EmulatorContext ctx;
    private final Operations ops;

    BatchProcessor(EmulatorContext ctx, Operations ops) {
        this.ctx = ctx;
        this.ops = ops;
    }

    ApiResponse handle(ApiRequest outer) {
        String boundary = boundary(outer.header("Content-Type"));
        if (boundary == null) {
            throw DataverseError.badRequest("The Content-Type of a batch request must be multipart/mixed with a boundary.");
        }
        List<Object> items = parse(outer.body == null ? "" : outer.body, boundary);
        int count = 0;
        for (Object item : items) {
            count += item instanceof ChangeSet cs ? cs.parts().size() : 1;
        }
        if (count > MAX_REQUESTS) {
            throw DataverseError.badRequest("The batch contains " + count + " requests; a batch request can contain up to "
                    + MAX_REQUESTS + " individual requests.");
        }
        boolean continueOnError = outer.prefer().containsKey("odata.continue-on-error");
        Map<String, String> contentIds = new HashMap<>();
        String rb = "batchresponse_" + UUID.randomUUID();
        StringBuilder out = new StringBuilder();
        int status = 200;
        for (Object item : items) {
            if (item instanceof Part p) {
                ApiResponse r;
                UnitOfWork uow = new UnitOfWork(ctx.store());
                try {
                    r = ops.execute(request(p, outer, contentIds), uow);
                    uow.commit(ctx);
                    remember(p, r, contentIds);
                } catch (DataverseError e) {
                    r = ApiResponse.error(e);
                }
                appendPart(out, rb, p.contentId(), r);
                if (r.status >= 400 && !continueOnError) {
                    status = r.status;
                    break;
                }
            } else {
                ChangeSet cs = (ChangeSet) item;
                UnitOfWork uow = new UnitOfWork(ctx.store());
                List<ApiResponse> done = new ArrayList<>();
                List<String> added = new ArrayList<>();
                ApiResponse failed = null;
                Part failedPart = null;
                for (Part p : cs.parts()) {
                    try {
                        if (p.method().equalsIgnoreCase("GET")) {
                            throw DataverseError.badRequest("GET requests are not allowed within a change set.");
                        }
                        ApiResponse r = ops.execute(request(p, outer, contentIds), uow);
                        done.add(r);
                        if (remember(p, r, contentIds)) {
                            added.add(p.contentId());
                        }
                    } catch (DataverseError e) {
                        failed = ApiResponse.error(e);
                        failedPart = p;
                        break;
                    }
                }
                if (failed == null) {
                    uow.commit(ctx);
                    String cb = "changesetresponse_" + UUID.randomUUID();
                    out.append("--").append(rb).append("\r\n")
                            .append("Content-Type: multipart/mixed; boundary=").append(cb).append("\r\n\r\n");
                    for (int i = 0; i < done.size(); i++) {
                        appendPart(out, cb, cs.parts().get(i).contentId(), done.get(i));
                    }
                    out.append("--").append(cb).append("--\r\n");
                } else {
                    // Rolled back: nothing was committed, and the rows the change set named do not exist.
                    added.forEach(contentIds::remove);
                    appendPart(out, rb, failedPart.contentId(), failed);
                    if (!continueOnError) {
                        status = failed.status;
                        break;
                    }
                }
            }
        }
        out.append("--").append(rb).append("--\r\n");
        ApiResponse resp = new ApiResponse(status).header("Content-Type", "multipart/mixed; boundary=" + rb);
        resp.body = out.toString();
        return resp;
    }

    private static boolean remember(Part p, ApiResponse r, Map<String, String> contentIds) {
        String url = r.headers.get("OData-EntityId");
        if (p.contentId() != null && url != null) {
            contentIds.put(p.contentId(), url);
            return true;
        }
        return false;
    }

    /** A part as a request: its URL may be absolute, {@code /api/data/v9.2/...}, relative, or start with {@code $n}. */
    private ApiRequest request(Part p, ApiRequest outer, Map<String, String> contentIds) {
        String url = p.url();
        Matcher m = API_PATH.matcher(url);
        if (m.find()) {
            url = url.substring(m.end());
        } else if (url.startsWith("/") || url.startsWith("http")) {
            throw DataverseError.segmentNotFound(url);
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q + 1);
        String correlation = p.headers().getOrDefault("x-ms-correlation-request-id", outer.correlationId);
        return new ApiRequest(p.method(), path, query, p.headers(), p.body(), outer.caller, correlation, outer.tag, contentIds);
    }

    private static void appendPart(StringBuilder out, String boundary, String contentId, ApiResponse r) {
        out.append("--").append(boundary).append("\r\n")
                .append("Content-Type: application/http\r\n")
                .append("Content-Transfer-Encoding: binary\r\n");
        if (contentId != null) {
            out.append("Content-ID: ").append(contentId).append("\r\n");
        }
        out.append("\r\n")
                .append("HTTP/1.1 ").append(r.status).append(' ').append(HttpResponseStatus.valueOf(r.status).reasonPhrase()).append("\r\n")
                .append("OData-Version: 4.0\r\n");
        if (r.status >= 400) {
            out.append("REQ_ID: ").append(UUID.randomUUID()).append("\r\n");
        }
        r.headers.forEach((k, v) -> out.append(k).append(": ").append(v).append("\r\n"));
        out.append("\r\n");
        if (r.body != null) {
            out.append(r.body).append("\r\n");
        }
        out.append("\r\n");
    }

    // ---- parsing --------------------------------------------------------------------------------

    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? m.group(2).trim() : null;
    }

    /** The items of a batch body: {@link Part}s and {@link ChangeSet}s, in order. Lines may end in CRLF or LF. */
    static List<Object> parse(String body, String boundary) {
        List<Object> items = new ArrayList<>();
        for (String raw : split(body, boundary)) {
            Section s = section(raw);
            String inner = boundary(s.headers.get("Content-Type"));
            if (inner != null) {
                List<Part> parts = new ArrayList<>();
                for (String rawPart : split(s.content, inner)) {
                    parts.add(part(section(rawPart)));
                }
                items.add(new ChangeSet(parts));
            } else {
                items.add(part(s));
            }
        }
        return items;
    }

    private record Section(Map<String, String> headers, String content) {
    }

    private static List<String> split(String body, String boundary) {
        String delimiter = "--" + boundary;
        String end = delimiter + "--";
        List<String> parts = new ArrayList<>();
        List<String> current = null;
        for (String line : body.split("\r?\n", -1)) {
            String l = line.strip();
            if (l.equals(end)) {
                break;
            }
            if (l.equals(delimiter)) {
                if (current != null) {
                    parts.add(String.join("\r\n", current));
                }
                current = new ArrayList<>();
            } else if (current != null) {
                current.add(line);
            }
        }
        if (current != null) {
            parts.add(String.join("\r\n", current));
        }
        return parts;
    }

    /** Headers up to the first empty line, then the content. */
    private static Section section(String text) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String[] lines = text.split("\r\n", -1);
        int i = 0;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        StringBuilder content = new StringBuilder();
        for (int j = i + 1; j < lines.length; j++) {
            if (content.length() > 0 || j > i + 1) {
                content.append("\r\n");
            }
            content.append(lines[j]);
        }
        return new Section(headers, content.toString());
    }

    /** An {@code application/http} part: request line, headers, empty line, body. */
    private static Part part(Section s) {
        String text = s.content.replaceFirst("^(\\s*\r\n)+", "");
        int nl = text.indexOf("\r\n");
        String requestLine = (nl < 0 ? text : text.substring(0, nl)).trim();
        String[] words = requestLine.split("\\s+");
        if (words.length < 2) {
            throw DataverseError.badRequest("A batch part must hold an HTTP request line, found '" + requestLine + "'.");
        }
        Section http = section(nl < 0 ? "" : text.substring(nl + 2));
        String contentId = s.headers.containsKey("Content-ID") ? s.headers.get("Content-ID") : http.headers.get("Content-ID");
        String body = http.content.strip();
        return new Part(contentId, words[0].toUpperCase(Locale.ROOT), words[1], http.headers, body.isEmpty() ? null : body);
    }
}
