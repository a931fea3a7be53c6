package dev.stepbystep.shared.database;

/**
 * The database secret named by {@code DB_SECRET_NAME} could not be read or understood. The
 * message names the secret and says why; it never carries the secret's value, and neither does
 * the cause (AWS SDK errors describe the call, not the payload; parse errors are not chained).
 */
public class DatabaseSecretException extends RuntimeException {

    public DatabaseSecretException(String message) {
        super(message);
    }

    public DatabaseSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
