package dev.stepbystep.worker.handlers;

import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.SendConfirmationEmail;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** {@code accounts.send_confirmation_email}: emails {@code {FRONTEND_URL}/verify/{uidb64}/{token}}. */
@ApplicationScoped
public class ConfirmationEmailHandler implements JobHandler<SendConfirmationEmail> {

    @Inject
    ActivationTokens tokens;

    @Inject
    EmailSender email;

    @Override
    public TaskDefinition<SendConfirmationEmail> task() {
        return Tasks.SEND_CONFIRMATION_EMAIL;
    }

    @Override
    public Object handle(SendConfirmationEmail payload, JobContext context) {
        User user = QuarkusTransaction.requiringNew().call(() -> User.<User>findById(payload.userId()));
        if (user == null) {
            // The job is enqueued through the outbox, so it only runs once the account committed:
            // no row now means the account was deleted since, and there is nobody to email.
            Log.infof("confirmation email job=%s user=%d: account deleted, nothing sent", context.jobId(), payload.userId());
            return Map.of("sent", false, "reason", "account deleted");
        }
        if (user.active) {
            return Map.of("sent", false, "reason", "account already active");
        }
        String link = tokens.link(payload.frontendUrl(), user);
        Mail mail = Mail.withText(user.email, "Confirm your account",
                "Welcome!\n\nConfirm your email address to activate your account:\n\n" + link
                        + "\n\nThe link works once and expires in 3 days. If you did not sign up, ignore this email.\n");
        boolean sent = email.sendOnce(context.jobId(), mail);
        Log.infof("confirmation email job=%s user=%d sent=%s", context.jobId(), user.id, sent);
        return Map.of("sent", sent);
    }
}
