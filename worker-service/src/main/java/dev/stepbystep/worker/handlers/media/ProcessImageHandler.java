package dev.stepbystep.worker.handlers.media;

import dev.stepbystep.jobs.QueueConfig;
import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.media.MediaKeys;
import dev.stepbystep.shared.media.MediaStore;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.ProcessImage;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import dev.stepbystep.shared.media.MediaConfig;

import java.io.IOException;
import java.util.Map;

/**
 * {@code media.process_image}: writes the copy of a post's uploaded image that is served
 * ({@link ImageProcessor}: no metadata, at most 1280 px), records it on the post, and moves the
 * post list cache on. Until then the post shows the upload. A post deleted or given another
 * image meanwhile keeps nothing of this job. An upload that cannot be decoded (it passed the
 * header check, its pixels are broken) is removed from the post rather than served unprocessed:
 * its metadata was never stripped.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // resolves the MediaStore at start: MEDIA_STORAGE=s3 without MEDIA_BUCKET stops the service
public class ProcessImageHandler implements JobHandler<ProcessImage> {

    @Inject
    MediaStore store;

    @Inject
    RedisDataSource redis;

    @Inject
    QueueConfig queue;

    @Inject
    MediaConfig media;

    @Override
    public TaskDefinition<ProcessImage> task() {
        return Tasks.PROCESS_IMAGE;
    }

    @Override
    public Object handle(ProcessImage payload, JobContext context) {
        String key = payload.key();
        if (!current(payload)) {
            return Map.of("processed", false, "reason", "post deleted or image replaced");
        }
        byte[] original = store.get(key).orElse(null);
        if (original == null) {
            return Map.of("processed", false, "reason", "upload gone");
        }
        ImageProcessor.Processed processed;
        try {
            processed = ImageProcessor.process(original, media.maxPixels());
        } catch (IOException e) {
            Log.warnf("image %s of post %d cannot be processed, removed from the post: %s", key, payload.postId(), e.getMessage());
            forget(payload);
            store.delete(key);
            return Map.of("processed", false, "reason", "undecodable image removed");
        }
        String display = MediaKeys.display(key, processed.format());
        store.put(display, processed.data(), processed.format().contentType());
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            Post post = Post.findById(payload.postId(), LockModeType.PESSIMISTIC_WRITE);
            if (post == null || !key.equals(post.image)) {
                return false;
            }
            post.imageDisplay = display;
            return true;
        });
        if (!recorded) {
            store.delete(display); // the post went while we worked: leave nothing behind
            return Map.of("processed", false, "reason", "post deleted or image replaced");
        }
        redis.value(Long.class).incr(queue.keys().postsVersion());
        Log.infof("image of post %d processed: %s (%d x %d, %d bytes)", payload.postId(), display, processed.width(),
                processed.height(), processed.data().length);
        return Map.of("processed", true, "key", display, "width", processed.width(), "height", processed.height());
    }

    private static boolean current(ProcessImage payload) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Post post = Post.findById(payload.postId());
            return post != null && payload.key().equals(post.image);
        });
    }

    private void forget(ProcessImage payload) {
        boolean changed = QuarkusTransaction.requiringNew().call(() -> {
            Post post = Post.findById(payload.postId(), LockModeType.PESSIMISTIC_WRITE);
            if (post == null || !payload.key().equals(post.image)) {
                return false;
            }
            post.image = null;
            post.imageDisplay = null;
            return true;
        });
        if (changed) {
            redis.value(Long.class).incr(queue.keys().postsVersion());
        }
    }
}
