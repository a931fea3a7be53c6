package dev.stepbystep.web.posts;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.media.ImageCheck;
import dev.stepbystep.shared.media.MediaKeys;
import dev.stepbystep.shared.media.MediaStore;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DeleteImages;
import dev.stepbystep.shared.tasks.payloads.ProcessImage;
import dev.stepbystep.web.WebConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import dev.stepbystep.web.auth.RateLimiter;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import dev.stepbystep.web.accounts.Viewer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * The write side of posts: create, owner-only update and delete, and the like toggle. Each
 * write also moves the post list cache on once it has committed ({@link PostsChanged}), so no
 * caller has to remember to.
 */
@ApplicationScoped
public class PostService {

    @Inject
    EntityManager em;

    @Inject
    PostQueries queries;

    @Inject
    PostListCache cache;

    @Inject
    Event<PostsChanged> changes;

    @Inject
    WebConfig config;

    @Inject
    MediaStore store;

    @Inject
    JobQueue jobs;

    @Inject
    RateLimiter limiter;

    /**
     * Creates a post off the event loop, then moves the cache on before the answer goes out (a
     * client that lists next sees its post) without holding the worker thread for Redis. The
     * insert is one statement in auto-commit ({@link PostQueries#create}), so there is no
     * transaction to observe.
     */
    public Uni<PostJson> create(long authorId, String body, Viewer viewer) {
        return Uni.createFrom().item(() -> queries.create(authorId, body, null, viewer))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .call(post -> cache.changedAsync());
    }

    /**
     * A post from a form (the seed's multipart create), on the caller's (worker) thread, by the
     * viewer or, when anonymous, counted against the client address first. An image (already
     * checked) is stored, then the post is inserted and {@code media.process_image} enqueued in
     * one transaction; if that fails, the stored image is deleted again.
     */
    public PostJson createFromForm(Viewer viewer, String clientAddress, String body, ImageCheck.Image image, byte[] data) {
        if (!viewer.authenticated()) {
            WebConfig.AnonymousPosts limits = config.anonymousPosts();
            limiter.count("post-anon:addr:" + clientAddress, limits.perAddress(), limits.window(), "anonymous posts from this address");
        }
        Long author = viewer.userId();
        PostJson post;
        if (image == null) {
            post = queries.create(author, body, null, viewer);
        } else {
            String key = MediaKeys.original(image.format());
            store.put(key, data, image.format().contentType());
            try {
                post = QuarkusTransaction.requiringNew().call(() -> {
                    PostJson created = queries.create(author, body, key, viewer);
                    jobs.enqueue(Tasks.PROCESS_IMAGE, new ProcessImage(created.id(), key));
                    return created;
                });
            } catch (RuntimeException e) {
                deleteQuietly(key);
                throw e;
            }
        }
        cache.changed();
        return post;
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            Log.warnf("image %s of a post that was not created is left in the store: %s", key, e.getMessage());
        }
    }

    /**
     * An anonymous post ({@code WEB_ANONYMOUS_POSTS}), counted against the client address's
     * limit first (429 past it, and nothing is stored).
     */
    public Uni<PostJson> createAnonymous(String clientAddress, String body) {
        WebConfig.AnonymousPosts limits = config.anonymousPosts();
        return Uni.createFrom().item(() -> {
                    limiter.count("post-anon:addr:" + clientAddress, limits.perAddress(), limits.window(), "anonymous posts from this address");
                    return queries.create(null, body, null, Viewer.ANONYMOUS);
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .call(post -> cache.changedAsync());
    }

    @Transactional
    public void update(long postId, Viewer viewer, String body) {
        Post post = owned(postId, viewer);
        post.body = body;
        post.modifiedOn = Instant.now();
        changes.fire(PostsChanged.content());
    }

    /** Deletes the post; its images go by a job ({@code media.delete_images}) once this commits. */
    @Transactional
    public void delete(long postId, Viewer viewer) {
        Post post = owned(postId, viewer);
        List<String> images = java.util.stream.Stream.of(post.image, post.imageDisplay).filter(java.util.Objects::nonNull).toList();
        post.delete();
        if (!images.isEmpty()) {
            jobs.enqueue(Tasks.DELETE_IMAGES, new DeleteImages(images));
        }
        changes.fire(PostsChanged.content());
        Log.infof("deleted post=%d user=%d", postId, viewer.userId());
    }

    /**
     * Likes the post, or unlikes it if the caller already did. The insert relies on the unique
     * (user, post) constraint, so two concurrent clicks cannot fail or leave two likes.
     */
    @Transactional
    public void toggleLike(long postId, long userId) {
        // FOR SHARE: a delete of the post waits for this like (or this like sees the post gone,
        // a 404), instead of the insert failing on the foreign key.
        if (Post.findById(postId, LockModeType.PESSIMISTIC_READ) == null) {
            throw ApiException.notFound("no post " + postId);
        }
        int inserted = em.createNativeQuery("insert into post_like (user_id, post_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, userId).setParameter(2, postId).executeUpdate();
        if (inserted == 0) {
            em.createNativeQuery("delete from post_like where user_id = ?1 and post_id = ?2")
                    .setParameter(1, userId).setParameter(2, postId).executeUpdate();
        }
        changes.fire(PostsChanged.likesOf(userId));
    }

    /**
     * The post, locked for this transaction (FOR UPDATE): of two racing writes (a double-clicked
     * delete, an edit during a delete) the second waits, then finds the post gone (404) rather
     * than failing on a row that vanished under it. A post without an author (anonymous, or its
     * author's account deleted) may be changed by staff only.
     */
    private static Post owned(long postId, Viewer viewer) {
        long userId = viewer.requireUser();
        Post post = Post.findById(postId, LockModeType.PESSIMISTIC_WRITE);
        if (post == null) {
            throw ApiException.notFound("no post " + postId);
        }
        if (post.createdBy == null) {
            if (!viewer.staff()) {
                throw ApiException.forbidden("only staff can change or delete a post without an author");
            }
        } else if (post.createdBy.id != userId) {
            throw ApiException.forbidden("only the author can change or delete this post");
        }
        return post;
    }
}
