package dev.stepbystep.worker.handlers;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.worker.WorkerConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
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
    QueueConfig queue;

    @Inject
    WorkerConfig config;

    @Inject
    Tracer tracer;

    /** True when the mail server refused the connection (nothing listens there). */
    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Returns false when this job already sent its email. */
    public boolean sendOnce(String jobId, Mail mail) {
        String marker = queue.keys().done("email", jobId);
        if (redis.value(String.class).get(marker) != null) {
            return false;
        }
        mail.addHeader("Message-ID", "<" + jobId + "@quarkus-step-by-step>");
        Span span = tracer.spanBuilder("smtp send").setSpanKind(SpanKind.CLIENT)
                .setAttribute("server.address", config.email().host())
                .setAttribute("server.port", config.email().port())
                .setAttribute("email.recipients", mail.getTo().size())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            mailer.send(mail);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            if (!config.email().logWhenUnreachable() || !refused(e)) {
                throw e;
            }
            Log.infof("no SMTP server at %s:%d (worker.email.log-when-unreachable): email to %s, subject \"%s\":%n%s",
                    config.email().host(), config.email().port(), String.join(", ", mail.getTo()), mail.getSubject(), mail.getText());
        } finally {
            span.end();
        }
        redis.value(String.class).set(marker, "1", new SetArgs().ex(queue.resultTtl()));
        return true;
    }
}
