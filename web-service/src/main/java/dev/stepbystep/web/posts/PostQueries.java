package dev.stepbystep.web.posts;

import dev.stepbystep.web.accounts.UserJson;
import dev.stepbystep.web.accounts.Viewer;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read side of posts, in plain SQL: one query returns a page of posts with their authors,
 * like counts and the caller's "liked", so a page costs one round trip (plus one for the count)
 * instead of a query per post. The hottest endpoint of the API, so no ORM entity loading here.
 */
@ApplicationScoped
public class PostQueries {

    private static final String SELECT = """
            select p.id, p.body, p.modified_on, coalesce(p.image_display, p.image) as image, p.created_by_id,
                   u.email, u.first_name, u.last_name, u.profile_setup_complete,
                   (select count(*) from post_like l where l.post_id = p.id) as like_count,
                   exists(select 1 from post_like l where l.post_id = p.id and l.user_id = ?) as liked
            from post p left join app_user u on u.id = p.created_by_id
            """;

    @Inject
    AgroalDataSource db;

    public List<PostJson> page(Viewer viewer, String search, int limit, int offset) {
        String sql = SELECT + (search == null ? "" : " where p.body ilike ? escape '\\'")
                + " order by p.modified_on desc, p.id desc limit ? offset ?";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setLong(i++, viewer.authenticated() ? viewer.userId() : -1);
            if (search != null) {
                s.setString(i++, pattern(search));
            }
            s.setInt(i++, limit);
            s.setInt(i, offset);
            return read(s, viewer);
        } catch (SQLException e) {
            throw new IllegalStateException("listing posts failed", e);
        }
    }

    /**
     * Creates a post and returns it as the API shows it, in one statement and one round trip
     * (no transaction to open, no second read). The image is the media key of its upload, or null.
     *
     * @param authorId the author, or null for an anonymous post
     */
    public PostJson create(Long authorId, String body, String image, Viewer viewer) {
        String sql = """
                with p as (insert into post (body, created_by_id, image) values (?, ?, ?)
                           returning id, body, modified_on, image, created_by_id)
                select p.id, p.body, p.modified_on, p.image, p.created_by_id,
                       u.email, u.first_name, u.last_name, u.profile_setup_complete,
                       0::bigint as like_count, false as liked
                from p left join app_user u on u.id = p.created_by_id
                """;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, body);
            if (authorId == null) {
                s.setNull(2, java.sql.Types.BIGINT);
            } else {
                s.setLong(2, authorId);
            }
            s.setString(3, image);
            return read(s, viewer).get(0);
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) { // the token's account no longer exists
                throw new io.quarkus.security.UnauthorizedException();
            }
            throw new IllegalStateException("creating a post failed", e);
        }
    }

    /** A page as every viewer shares it (for the cache): no "liked", author emails included. */
    public PostListCache.CachedPage sharedPage(String search, int limit, int offset) {
        String sql = SELECT + (search == null ? "" : " where p.body ilike ? escape '\\'")
                + " order by p.modified_on desc, p.id desc limit ? offset ?";
        List<PostListCache.Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setLong(i++, -1);
            if (search != null) {
                s.setString(i++, pattern(search));
            }
            s.setInt(i++, limit);
            s.setInt(i, offset);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long authorId = r.getLong("created_by_id");
                    boolean hasAuthor = !r.wasNull();
                    rows.add(new PostListCache.Row(r.getLong("id"), r.getString("body"), r.getTimestamp("modified_on").toInstant(),
                            r.getString("image"), hasAuthor ? authorId : null, r.getString("email"), r.getString("first_name"),
                            r.getString("last_name"), r.getBoolean("profile_setup_complete"), r.getLong("like_count")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing posts failed", e);
        }
        return new PostListCache.CachedPage(count(search), rows);
    }

    /** Every post the user likes. */
    public List<Long> likedBy(long userId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select post_id from post_like where user_id = ?")) {
            s.setLong(1, userId);
            List<Long> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("reading likes failed", e);
        }
    }

    public long count(String search) {
        String sql = "select count(*) from post p" + (search == null ? "" : " where p.body ilike ? escape '\\'");
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (search != null) {
                s.setString(1, pattern(search));
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting posts failed", e);
        }
    }

    public Optional<PostJson> find(long id, Viewer viewer) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(SELECT + " where p.id = ?")) {
            s.setLong(1, viewer.authenticated() ? viewer.userId() : -1);
            s.setLong(2, id);
            return read(s, viewer).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading post failed", e);
        }
    }

    private static List<PostJson> read(PreparedStatement s, Viewer viewer) throws SQLException {
        List<PostJson> posts = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long authorId = r.getLong("created_by_id");
                UserJson author = r.wasNull() ? null : new UserJson(viewer.maySeeEmailOf(authorId) ? r.getString("email") : null,
                        authorId, r.getString("first_name"), r.getString("last_name"), r.getBoolean("profile_setup_complete"));
                posts.add(new PostJson(r.getLong("id"), r.getString("body"), author,
                        r.getTimestamp("modified_on").toInstant(), r.getBoolean("liked"), r.getLong("like_count"), r.getString("image")));
            }
        }
        return posts;
    }

    /** A case-insensitive "contains" pattern with LIKE's wildcards escaped. */
    private static String pattern(String search) {
        return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
