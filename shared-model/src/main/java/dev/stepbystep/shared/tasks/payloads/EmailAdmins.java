package dev.stepbystep.shared.tasks.payloads;

import dev.stepbystep.jobs.Sensitive;
import jakarta.validation.constraints.Size;

/**
 * {@code core.send_email_debug_task}: a message to {@code ADMIN_EMAIL}; null fields take the seed's
 * defaults. What an email says is for its recipients: the operations console redacts it.
 */
public record EmailAdmins(@Sensitive @Size(max = 200) String subject, @Sensitive @Size(max = 10_000) String message) {
}
