package dev.stepbystep.shared.config;

/** A service refuses to start; the message is the one-line reason shown to the operator. */
public class StartupRefusedException extends RuntimeException {
    public StartupRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
