package dev.stepbystep.web.errors;

import java.util.Map;

/** A refusal the client can act on: becomes {@code application/problem+json} with this status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public ApiException(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }
}
