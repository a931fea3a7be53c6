package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.Size;

/** {@code core.send_email_debug_task}: a message to {@code ADMIN_EMAIL}; null fields take the seed's defaults. */
public record EmailAdmins(@Size(max = 200) String subject, @Size(max = 10_000) String message) {
}
