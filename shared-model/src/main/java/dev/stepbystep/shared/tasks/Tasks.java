package dev.stepbystep.shared.tasks;

import dev.stepbystep.jobs.TaskDefinition;

import dev.stepbystep.shared.tasks.payloads.BeatDebug;
import dev.stepbystep.shared.tasks.payloads.ChatReply;
import dev.stepbystep.shared.tasks.payloads.DeleteImages;
import dev.stepbystep.shared.tasks.payloads.ProcessImage;
import dev.stepbystep.shared.tasks.payloads.DebugSleep;
import dev.stepbystep.shared.tasks.payloads.EmailAdmins;
import dev.stepbystep.shared.tasks.payloads.SendConfirmationEmail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every task the system knows, by the seed's Celery names. Adding a task: a payload record in
 * {@code payloads}, a constant here (and in {@link #ALL}), and a handler bean in worker-service.
 */
public final class Tasks {

    private static final Duration SECOND = Duration.ofSeconds(1);

    public static final TaskDefinition<SendConfirmationEmail> SEND_CONFIRMATION_EMAIL = new TaskDefinition<>(
            "accounts.send_confirmation_email", SendConfirmationEmail.class, "default", 5,
            Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(10));

    public static final TaskDefinition<EmailAdmins> SEND_EMAIL_DEBUG = new TaskDefinition<>(
            "core.send_email_debug_task", EmailAdmins.class, "default", 5,
            Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(10));

    public static final TaskDefinition<DebugSleep> DEBUG = new TaskDefinition<>(
            "core.debug_task", DebugSleep.class, "default", 3,
            Duration.ofMinutes(2), SECOND, Duration.ofMinutes(1));

    public static final TaskDefinition<BeatDebug> BEAT_DEBUG = new TaskDefinition<>(
            "core.celery_beat_debug_task", BeatDebug.class, "default", 0,
            Duration.ofSeconds(30), SECOND, SECOND);

    /**
     * The assistant's reply to a chat message. Provider failures (429, 5xx, timeouts) are retried
     * quickly, as a user is waiting; the handler stores a failure message on the last attempt.
     */
    public static final TaskDefinition<ChatReply> CHAT_REPLY = new TaskDefinition<>(
            "chat.reply", ChatReply.class, "default", 4,
            Duration.ofSeconds(90), Duration.ofMillis(500), Duration.ofSeconds(10));

    /** The served copy of a post's image: metadata stripped, at most 1280 px on its longest side. */
    public static final TaskDefinition<ProcessImage> PROCESS_IMAGE = new TaskDefinition<>(
            "media.process_image", ProcessImage.class, "default", 5,
            Duration.ofSeconds(60), SECOND, Duration.ofMinutes(5));

    /** Deletes a deleted post's stored images. */
    public static final TaskDefinition<DeleteImages> DELETE_IMAGES = new TaskDefinition<>(
            "media.delete_images", DeleteImages.class, "default", 8,
            Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(30));

    public static final List<TaskDefinition<?>> ALL = List.of(SEND_CONFIRMATION_EMAIL, SEND_EMAIL_DEBUG, DEBUG, BEAT_DEBUG, CHAT_REPLY,
            PROCESS_IMAGE, DELETE_IMAGES);

    private static final Map<String, TaskDefinition<?>> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(TaskDefinition::name, Function.identity()));

    private Tasks() {
    }

    public static Optional<TaskDefinition<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
