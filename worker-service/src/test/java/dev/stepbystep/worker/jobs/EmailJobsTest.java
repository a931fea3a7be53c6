package dev.stepbystep.worker.jobs;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.jobs.client.JobState;
import dev.stepbystep.jobs.client.JobStatus;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.EmailAdmins;
import dev.stepbystep.shared.tasks.payloads.SendConfirmationEmail;
import dev.stepbystep.worker.GreenMailResource.InjectGreenMail;
import dev.stepbystep.worker.handlers.ConfirmationEmailHandler;
import dev.stepbystep.worker.runtime.JobContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Email jobs through a real SMTP server (GreenMail). */
@QuarkusTest
class EmailJobsTest {

    @InjectGreenMail
    GreenMail smtp;

    @Inject
    JobQueue queue;

    @Inject
    ActivationTokens tokens;

    @Inject
    ConfirmationEmailHandler confirmationHandler;

    private final String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> User.delete("email", email));
    }

    private User newInactiveUser() {
        return QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = "$2a$10$" + UUID.randomUUID();
            u.persist();
            return u;
        });
    }

    private MimeMessage[] messagesTo(String to) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(to);
            } catch (Exception e) {
                return false;
            }
        }).toArray(MimeMessage[]::new);
    }

    @Test
    void theConfirmationEmailCarriesALinkWhoseTokenActivatesTheAccount() {
        User user = newInactiveUser();
        String id = queue.enqueue(Tasks.SEND_CONFIRMATION_EMAIL, new SendConfirmationEmail(user.id, "https://app.example.com")).jobId();

        await().atMost(Duration.ofSeconds(15)).until(() -> messagesTo(email).length == 1);
        String body = GreenMailUtil.getBody(messagesTo(email)[0]);
        Matcher link = Pattern.compile("https://app\\.example\\.com/verify/([A-Za-z0-9_-]+)/([0-9a-z]+-[0-9a-f]+)").matcher(body);
        assertThat(link.find()).as("activation link in: %s", body).isTrue();
        assertThat(ActivationTokens.userId(link.group(1))).contains(user.id);
        assertThat(tokens.isValid(user, link.group(2))).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.status(id).map(JobStatus::state).orElse(null) == JobState.SUCCEEDED);
        assertThat(queue.status(id).orElseThrow().result()).contains("\"sent\":true");
    }

    @Test
    void aRedeliveredConfirmationJobDoesNotSendTwice() throws Exception {
        User user = newInactiveUser();
        String jobId = UUID.randomUUID().toString();
        SendConfirmationEmail payload = new SendConfirmationEmail(user.id, "http://localhost");

        confirmationHandler.handle(payload, new JobContext(jobId, "default", 1));
        Object second = confirmationHandler.handle(payload, new JobContext(jobId, "default", 2));

        assertThat(second.toString()).contains("sent=false");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> messagesTo(email).length == 1);
    }

    @Test
    void emailToAdminsWithoutAdminEmailIsDeadAtOnce() {
        String id = queue.enqueue(Tasks.SEND_EMAIL_DEBUG, new EmailAdmins(null, null)).jobId();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.status(id).map(JobStatus::state).orElse(null) == JobState.DEAD);
        JobStatus dead = queue.status(id).orElseThrow();
        assertThat(dead.error()).contains("ADMIN_EMAIL is not set");
        assertThat(dead.attempts()).isEqualTo(1);
    }
}
