package dev.stepbystep.worker.handlers;

import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.EmailAdmins;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import dev.stepbystep.worker.runtime.PermanentJobFailure;
import io.quarkus.mailer.Mail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** {@code core.send_email_debug_task}: a message to {@code ADMIN_EMAIL}, as the seed's debug task sends. */
@ApplicationScoped
public class EmailAdminsHandler implements JobHandler<EmailAdmins> {

    @Inject
    AppConfig config;

    @Inject
    EmailSender email;

    @Override
    public TaskDefinition<EmailAdmins> task() {
        return Tasks.SEND_EMAIL_DEBUG;
    }

    @Override
    public Object handle(EmailAdmins payload, JobContext context) {
        String to = config.adminEmail().orElseThrow(() -> new PermanentJobFailure("ADMIN_EMAIL is not set: nobody to email"));
        String subject = payload.subject() == null ? "Debug email from Quarkus Step by Step" : payload.subject();
        String message = payload.message() == null ? "This is a test email sent by a background job." : payload.message();
        boolean sent = email.sendOnce(context.jobId(), Mail.withText(to, subject, message));
        return Map.of("sent", sent, "to", to);
    }
}
