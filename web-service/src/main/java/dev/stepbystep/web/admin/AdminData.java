package dev.stepbystep.web.admin;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.web.auth.AuthService;
import dev.stepbystep.shared.accounts.Emails;
import dev.stepbystep.web.posts.PostsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** The database work of the admin commands, in transactions. */
@ApplicationScoped
public class AdminData {

    static final String SAMPLE_AUTHOR = "sample-posts@example.com";
    private static final List<String> TOPICS = List.of("Quarkus", "Redis", "PostgreSQL", "ECS", "twelve factors", "Celery", "jobs");

    @Inject
    Event<PostsChanged> postChanges;

    @Transactional
    public String createSuperuser(String email, String password) {
        if (User.findByEmail(email).isPresent()) {
            throw new IllegalStateException("a user with email " + email + " already exists");
        }
        User u = new User();
        u.email = Emails.normalize(email);
        u.passwordHash = AuthService.hash(password);
        u.active = true;
        u.staff = true;
        u.superuser = true;
        u.persist();
        return u.email + " (id " + u.id + ")";
    }

    /** Sample posts by an inactive sample author (created once), like the seed's generate_posts. */
    @Transactional
    public int generatePosts(int count) {
        User author = User.findByEmail(SAMPLE_AUTHOR).orElseGet(() -> {
            User u = new User();
            u.email = SAMPLE_AUTHOR;
            u.passwordHash = "!unusable";
            u.firstName = "Sample";
            u.lastName = "Author";
            u.persist();
            return u;
        });
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            Post p = new Post();
            p.body = "Sample post " + (i + 1) + " about " + TOPICS.get(i % TOPICS.size());
            p.createdBy = author;
            p.createdOn = now.minusSeconds(count - i);
            p.modifiedOn = p.createdOn;
            p.persist();
            if (i % 500 == 499) {
                Post.getEntityManager().flush();
                Post.getEntityManager().clear();
                author = User.findById(author.id);
            }
        }
        postChanges.fire(PostsChanged.content());
        return count;
    }
}
