package dev.stepbystep.shared;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.shared.posts.PostLike;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flyway migrations against the real PostgreSQL: applied, matching the entities (the test
 * application only starts when Hibernate's schema validation passes), and enforcing the rules
 * the API relies on.
 */
@QuarkusTest
class SchemaTest {

    @Inject
    Flyway flyway;

    @Inject
    AgroalDataSource dataSource;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() {
        QuarkusTransaction.requiringNew().run(() -> User.delete("email like ?1", "%" + tag + "%"));
        QuarkusTransaction.requiringNew().run(() -> Post.delete("body like ?1", "%" + tag + "%"));
    }

    @Test
    void everyMigrationIsAppliedAndNonePending() {
        var info = flyway.info();
        assertThat(info.pending()).isEmpty();
        assertThat(info.applied()).isNotEmpty().allSatisfy(m -> assertThat(m.getState().isFailed()).isFalse());
        assertThat(info.current().getVersion().getVersion()).isEqualTo(info.all()[info.all().length - 1].getVersion().getVersion());
    }

    @Test
    void hibernateValidatesTheSchemaAtStart() {
        // Hibernate ORM validates entities against the migrated tables when the application
        // starts; this test running at all proves it passed. Check the strategy is the one in force.
        assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.hibernate-orm.schema-management.strategy", String.class)).isEqualTo("validate");
    }

    @Test
    void emailIsUniqueWhateverItsCase() {
        QuarkusTransaction.requiringNew().run(() -> user("Ada." + tag + "@Example.com").persist());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> user("ada." + tag + "@example.COM").persist()))
                .hasStackTraceContaining("app_user_email_lower_uq");
        assertThat(QuarkusTransaction.requiringNew().call(() -> User.findByEmail("ADA." + tag + "@EXAMPLE.COM")))
                .get().extracting(u -> u.email).isEqualTo("Ada." + tag + "@Example.com");
    }

    @Test
    void postBodyIsAtMost200Characters() throws SQLException {
        try (Connection c = dataSource.getConnection(); var insert = c.prepareStatement("insert into post (body) values (?)")) {
            insert.setString(1, tag + "x".repeat(Post.MAX_BODY_LENGTH + 1 - tag.length()));
            assertThatThrownBy(insert::executeUpdate).hasMessageContaining("value too long");
        }
    }

    @Test
    void deletingAnAuthorKeepsThePostWithoutAuthorAndRemovesTheirLikes() {
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            User author = user("author-" + tag + "@example.com");
            author.persist();
            Post post = new Post();
            post.body = "post " + tag;
            post.createdBy = author;
            post.persist();
            PostLike like = new PostLike();
            like.user = author;
            like.post = post;
            like.persist();
            return new long[] {author.id, post.id};
        });

        QuarkusTransaction.requiringNew().run(() -> User.deleteById(ids[0]));

        QuarkusTransaction.requiringNew().run(() -> {
            Post post = Post.findById(ids[1]);
            assertThat(post).isNotNull();
            assertThat(post.createdBy).isNull();
            assertThat(PostLike.count("post.id", ids[1])).isZero();
        });
    }

    @Test
    void aUserLikesAPostAtMostOnce() {
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            User u = user("liker-" + tag + "@example.com");
            u.persist();
            Post post = new Post();
            post.body = "liked " + tag;
            post.persist();
            return new long[] {u.id, post.id};
        });
        Runnable like = () -> {
            PostLike l = new PostLike();
            l.user = User.findById(ids[0]);
            l.post = Post.findById(ids[1]);
            l.persist();
        };
        QuarkusTransaction.requiringNew().run(like);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(like)).hasStackTraceContaining("post_like_user_post_uq");
    }

    @Test
    void deletingAPostRemovesItsLikes() {
        long postId = QuarkusTransaction.requiringNew().call(() -> {
            User u = user("fan-" + tag + "@example.com");
            u.persist();
            Post post = new Post();
            post.body = "gone " + tag;
            post.persist();
            PostLike l = new PostLike();
            l.user = u;
            l.post = post;
            l.persist();
            return post.id;
        });
        QuarkusTransaction.requiringNew().run(() -> Post.deleteById(postId));
        assertThat(QuarkusTransaction.requiringNew().call(() -> PostLike.count("post.id", postId))).isZero();
    }

    private static User user(String email) {
        User u = new User();
        u.email = email;
        u.passwordHash = "not-a-real-hash";
        return u;
    }
}
