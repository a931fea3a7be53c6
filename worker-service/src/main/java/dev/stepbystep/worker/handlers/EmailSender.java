package dev.stepbystep.worker.handlers;

import dev.stepbystep.shared.jobs.QueueConfig;
import dev.stepbystep.shared.jobs.QueueKeys;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends an email at most once per job id: a job redelivered after its email went out (worker
 * killed before acknowledging) finds the marker and does not send again. The marker is written
 * right after SMTP accepts the message; only a crash in that instant can send twice, and the
 * fixed Message-ID lets mail systems drop that duplicate too.
 */
@ApplicationScoped
public class EmailSender {

    @Inject
    Mailer mailer;

    @Inject
    RedisDataSource redis;

    @Inject
    QueueConfig config;

    /** Returns false when this job already sent its email. */
    public boolean sendOnce(String jobId, Mail mail) {
        String marker = new QueueKeys(config.prefix()).marker("email", jobId);
        if (redis.value(String.class).get(marker) != null) {
            return false;
        }
        mail.addHeader("Message-ID", "<" + jobId + "@quarkus-step-by-step>");
        mailer.send(mail);
        redis.value(String.class).set(marker, "1", new SetArgs().ex(config.resultTtl()));
        return true;
    }
}
