package dev.stepbystep.worker.jobs;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.tasks.payloads.SendConfirmationEmail;
import dev.stepbystep.worker.LoopsOffProfile;
import dev.stepbystep.worker.handlers.ConfirmationEmailHandler;
import dev.stepbystep.worker.runtime.JobContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/run-local's walk-through needs no SMTP server: in the dev profile, with nothing listening
 * on EMAIL_HOST:EMAIL_PORT, the worker logs the email, activation link included, and the job
 * succeeds. (Elsewhere the flag is off and such a send is a failed attempt, retried.)
 */
@QuarkusTest
@TestProfile(LoopsOffProfile.class)
class DevEmailFallbackTest {

    @Inject
    ConfirmationEmailHandler handler;

    private final String email = "walkthrough-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> User.delete("email", email));
    }

    @Test
    void withNoMailServerTheEmailIsLoggedWithItsLink() throws Exception {
        long userId = QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = "$2a$10$" + UUID.randomUUID();
            u.persist();
            return u.id;
        });
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.stepbystep.worker.handlers.EmailSender");
        logger.addHandler(capture);
        try {
            Object result = handler.handle(new SendConfirmationEmail(userId, "http://localhost:8000"),
                    new JobContext(UUID.randomUUID().toString(), "default", 1));
            assertThat(result).isEqualTo(Map.of("sent", true));
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(logged).anySatisfy(line -> assertThat(line).contains(email).contains("http://localhost:8000/verify/"));
    }
}
