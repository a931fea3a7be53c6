package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** {@code core.celery_beat_debug_task}: logs a line with the time its schedule fired. */
public record BeatDebug(@NotNull Instant firedAt, @Size(max = 200) String schedule) {
}
