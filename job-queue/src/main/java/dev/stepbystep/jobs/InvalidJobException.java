package dev.stepbystep.jobs;

/** A job refused before it reached the queue: bad payload, queue name or option. */
public class InvalidJobException extends RuntimeException {
    public InvalidJobException(String message) {
        super(message);
    }
}
