package io.prodigy.storage.dashboard;

/** An answer other than 200, with the message shown to the client. */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }
}
