package io.dualsync.emulator.fo;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code POST /data/$batch} (odata.md, "Batch requests" and "Run multiple requests in a single
 * transaction"; format: OData v4.0 Part 1, 11.7 Batch Requests, multipart/mixed). Requests outside
 * change sets run one by one; a change set is one {@link Transaction}: all of its requests commit
 * together or none does, and a failed change set publishes no events. Inside a change set
 * {@code $<Content-ID>} at the start of a URL stands for the entity a previous request created.
 * Like F&O, a failed change set is answered by one part carrying the failing request's error (a
 * write failure there is a 500, as real F&O batch responses show), and processing stops after
 * the first failure unless {@code Prefer: odata.continue-on-error}. Event loop only.
 */
final class FoBatch {
    private static final String CRLF = "\r\n";

    private record Part(TreeMap<String, String> headers, String body) {
    }

    private final FoService service;

    FoBatch(FoService service) {
        this.service = service;
    }

    FoResponse handle(FoRequest batch) {
        try {
            if (!batch.method().equals("POST")) {
                throw new FoError(405, FoError.ODATA, "The $batch resource accepts POST only.");
            }
            String boundary = boundary(batch.header("Content-Type"));
            boolean continueOnError = batch.header("Prefer") != null
                    && batch.header("Prefer").toLowerCase(Locale.ROOT).contains("odata.continue-on-error");
            String responseBoundary = "batchresponse_" + UUID.randomUUID();
            StringBuilder out = new StringBuilder();
            for (Part part : parts(batch.body(), boundary)) {
                String type = part.headers().getOrDefault("Content-Type", "");
                boolean ok;
                out.append("--").append(responseBoundary).append(CRLF);
                if (type.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
                    ok = changeSet(batch, part, out);
                } else {
                    FoRequest req = request(batch, part, Map.of());
                    FoResponse res = service.handle(req);
                    writeResponse(out, res, null);
                    ok = res.status() < 400;
                }
                if (!ok && !continueOnError) {
                    break;
                }
            }
            out.append("--").append(responseBoundary).append("--").append(CRLF);
            FoResponse res = FoResponse.text("multipart/mixed; boundary=" + responseBoundary, out.toString());
            return res;
        } catch (FoError e) {
            return FoResponse.error(e);
        }
    }

    /** Runs one change set; returns false when it failed (and changed nothing). */
    private boolean changeSet(FoRequest batch, Part part, StringBuilder out) {
        String boundary = boundary(part.headers().get("Content-Type"));
        String csBoundary = "changesetresponse_" + UUID.randomUUID();
        out.append("Content-Type: multipart/mixed; boundary=").append(csBoundary).append(CRLF).append(CRLF);
        Transaction tx = new Transaction(service.context(), batch.caller(), batch.correlationId());
        Map<String, String> created = new HashMap<>();
        List<FoService.Prepared> prepared = new ArrayList<>();
        List<String> contentIds = new ArrayList<>();
        for (Part p : parts(part.body(), boundary)) {
            String contentId = p.headers().get("Content-ID");
            try {
                FoRequest req = request(batch, p, created);
                if (req.method().equals("GET")) {
                    throw FoError.badRequest("A change set may contain only data modification requests; GET is not allowed in a change set.");
                }
                FoService.Prepared prep = service.prepare(req, tx);
                if (contentId != null && prep.entityPath() != null) {
                    created.put(contentId.trim(), prep.entityPath());
                }
                prepared.add(prep);
                contentIds.add(contentId);
            } catch (FoError e) {
                FoError shown = e.type().equals(FoError.WRITE) ? e.withStatus(500) : e;
                out.append("--").append(csBoundary).append(CRLF);
                writeResponse(out, FoResponse.error(shown), contentId);
                out.append("--").append(csBoundary).append("--").append(CRLF);
                return false;
            }
        }
        tx.commit();
        for (int i = 0; i < prepared.size(); i++) {
            out.append("--").append(csBoundary).append(CRLF);
            writeResponse(out, prepared.get(i).respond().get(), contentIds.get(i));
        }
        out.append("--").append(csBoundary).append("--").append(CRLF);
        return true;
    }

    private static void writeResponse(StringBuilder out, FoResponse res, String contentId) {
        out.append("Content-Type: application/http").append(CRLF);
        out.append("Content-Transfer-Encoding: binary").append(CRLF);
        if (contentId != null) {
            out.append("Content-ID: ").append(contentId.trim()).append(CRLF);
        }
        out.append(CRLF);
        out.append("HTTP/1.1 ").append(res.status()).append(' ').append(FoResponse.reason(res.status())).append(CRLF);
        for (Map.Entry<String, String> h : res.headers().entrySet()) {
            out.append(h.getKey()).append(": ").append(h.getValue()).append(CRLF);
        }
        out.append(CRLF);
        if (!res.body().isEmpty()) {
            out.append(res.body()).append(CRLF);
        }
    }

    /** An {@code application/http} part as a request, its URL resolved against the service root. */
    private FoRequest request(FoRequest batch, Part part, Map<String, String> created) {
        String text = part.body();
        int headerEnd = indexOfBlankLine(text);
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String body = headerEnd < 0 ? "" : text.substring(headerEnd).replaceFirst("^(\r?\n){2}", "");
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].trim().split(" ");
        if (requestLine.length < 2) {
            throw FoError.badRequest("The batch part does not start with an HTTP request line: '" + lines[0] + "'.");
        }
        TreeMap<String, String> headers = FoRequest.newHeaders();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        QueryStringDecoder url = new QueryStringDecoder("/" + relative(requestLine[1], created));
        Map<String, List<String>> query = new LinkedHashMap<>(url.parameters());
        return new FoRequest(requestLine[0].toUpperCase(Locale.ROOT), url.path().substring(1), query, headers, body,
                batch.caller(), batch.correlationId());
    }

    /** The URL below the service root: absolute, {@code /data/...}, relative, or {@code $1/...}. */
    private static String relative(String url, Map<String, String> created) {
        String u = url;
        int scheme = u.indexOf("://");
        if (scheme > 0) {
            int slash = u.indexOf('/', scheme + 3);
            u = slash < 0 ? "/" : u.substring(slash);
        }
        if (u.startsWith("/")) {
            if (u.startsWith("/data/")) {
                return u.substring("/data/".length());
            }
            throw FoError.notFound("The URL '" + url + "' is not below the service root /data/.");
        }
        if (u.startsWith("$")) {
            int end = 1;
            while (end < u.length() && u.charAt(end) != '/' && u.charAt(end) != '?') {
                end++;
            }
            String id = u.substring(1, end);
            String entity = created.get(id);
            if (entity != null) {
                return encodeKeepingQuery(entity) + u.substring(end);
            }
            if (!id.equals("batch") && !id.equals("metadata")) {
                throw FoError.badRequest("The Content-ID '" + id + "' is not the Content-ID of an earlier request in this change set.");
            }
        }
        return u;
    }

    private static String encodeKeepingQuery(String entityPath) {
        return FoService.encodePath(entityPath);
    }

    private static String boundary(String contentType) {
        if (contentType != null) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                    String b = p.substring("boundary=".length()).trim();
                    return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
                }
            }
        }
        throw FoError.badRequest("A batch request must have the content type multipart/mixed with a boundary.");
    }

    /** The body parts between {@code --boundary} delimiter lines (CRLF or LF line ends). */
    private static List<Part> parts(String body, String boundary) {
        String delimiter = "--" + boundary;
        List<Part> out = new ArrayList<>();
        int pos = body.startsWith(delimiter) ? 0 : body.indexOf("\n" + delimiter);
        if (pos < 0) {
            throw FoError.badRequest("The batch body has no part delimited by '" + delimiter + "'.");
        }
        if (pos > 0) {
            pos++;
        }
        while (true) {
            int lineEnd = body.indexOf('\n', pos);
            String rest = body.substring(pos + delimiter.length(), lineEnd < 0 ? body.length() : lineEnd).trim();
            if (rest.startsWith("--") || lineEnd < 0) {
                return out;
            }
            int next = body.indexOf("\n" + delimiter, lineEnd);
            if (next < 0) {
                throw FoError.badRequest("The batch body does not end with the closing delimiter '" + delimiter + "--'.");
            }
            String content = body.substring(lineEnd + 1, next);
            if (content.endsWith("\r")) {
                content = content.substring(0, content.length() - 1);
            }
            out.add(part(content));
            pos = next + 1;
        }
    }

    private static Part part(String content) {
        TreeMap<String, String> headers = FoRequest.newHeaders();
        int end = indexOfBlankLine(content);
        String head = end < 0 ? content : content.substring(0, end);
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        String body = end < 0 ? "" : content.substring(end).replaceFirst("^(\r?\n){2}", "");
        return new Part(headers, body);
    }

    /** Where the first empty line starts (the line break ending the header block). */
    private static int indexOfBlankLine(String s) {
        int a = s.indexOf("\r\n\r\n");
        int b = s.indexOf("\n\n");
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }
}
