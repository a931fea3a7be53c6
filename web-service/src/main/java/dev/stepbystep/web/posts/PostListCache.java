package dev.stepbystep.web.posts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stepbystep.jobs.LuaScript;
import dev.stepbystep.jobs.QueueConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A version-stamped cache of post list pages in Redis, so the hottest endpoint costs one Redis
 * round trip instead of two SQL queries. Every post, like or author-name write bumps a version
 * counter after its transaction commits; pages are stored under the version they were read at,
 * so a reader never sees a page older than the last write it could have observed. The caller's
 * "liked" flags come from a per-user set of liked post ids kept beside it. Pages also expire
 * after {@link #PAGE_TTL}, which bounds staleness after writes that bypass the API. When Redis
 * is unavailable the list is served from PostgreSQL.
 */
@ApplicationScoped
public class PostListCache {

    static final Duration PAGE_TTL = Duration.ofSeconds(30);
    static final Duration LIKES_TTL = Duration.ofHours(1);
    /** Marks a loaded likes set, which Redis would otherwise delete when a user likes nothing. */
    static final String LOADED = "loaded";

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /** KEYS: version, likes set ('' when anonymous), likes version. ARGV: page key prefix, page suffix. */
    private static final LuaScript READ = LuaScript.of("posts-read", """
            local version = redis.call('GET', KEYS[1]) or '0'
            local page = redis.call('HMGET', ARGV[1] .. version .. ':' .. ARGV[2], 'json', 'ids')
            local liked = {}
            local loaded = 0
            local likesVersion = '0'
            if KEYS[2] ~= '' then
              likesVersion = redis.call('GET', KEYS[3]) or '0'
              if redis.call('EXISTS', KEYS[2]) == 1 then
                loaded = 1
                if page[2] then
                  local ids = {}
                  for id in string.gmatch(page[2], '[^,]+') do table.insert(ids, id) end
                  if #ids > 0 then liked = redis.call('SMISMEMBER', KEYS[2], unpack(ids)) end
                end
              end
            end
            return {version, page[1] or false, liked, loaded, likesVersion}""");

    /** Stores a user's likes only if no toggle happened since they were read. KEYS: set, likes version. */
    private static final LuaScript STORE_LIKES = LuaScript.of("posts-store-likes", """
            if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('SADD', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1""");

    /** After a committed toggle. KEYS: version, set, likes version. */
    private static final LuaScript TOGGLE = LuaScript.of("posts-toggle", """
            redis.call('INCR', KEYS[1])
            redis.call('INCR', KEYS[3])
            redis.call('DEL', KEYS[2])
            return 1""");

    /** A page as cached: what every viewer shares (author email included; hidden per viewer on the way out). */
    public record Row(long id, String body, Instant modifiedOn, String image, Long authorId, String authorEmail,
                      String authorFirstName, String authorLastName, boolean authorProfileSetupComplete, long likeCount) {
    }

    public record CachedPage(long total, List<Row> rows) {
    }

    /**
     * What one round trip found: the version read, the page if cached, the caller's liked posts
     * among that page if their likes are cached, and the version of their likes as read.
     */
    public record Lookup(String version, Optional<CachedPage> page, boolean likesLoaded, Set<Long> likedOnPage, String likesVersion) {
    }

    @Inject
    Redis redis;

    @Inject
    QueueConfig config;

    private final AtomicBoolean warned = new AtomicBoolean();
    /** Decoded pages by their Redis value: the same JSON is not parsed again on every request. */
    private final java.util.Map<String, CachedPage> decoded = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DECODED_MAX = 512;

    /**
     * One round trip, without blocking: completes with the lookup, or with null when Redis is
     * unavailable (the caller then serves from PostgreSQL).
     */
    public Uni<Lookup> read(Long viewerId, String search, int limit, int offset) {
        List<String> keys = List.of(versionKey(), viewerId == null ? "" : likesKey(viewerId),
                viewerId == null ? "" : likesVersionKey(viewerId));
        List<String> args = List.of(pagePrefix(), pageSuffix(search, limit, offset));
        return READ.run(redis, keys, args)
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(this::lookup)
                .onFailure().recoverWithItem(e -> {
                    unavailable(e);
                    return null;
                });
    }

    private Lookup lookup(Response r) {
        warned.set(false);
        Optional<CachedPage> page = Optional.empty();
        List<Long> ids = List.of();
        if (r.get(1) != null && r.get(1).type() == io.vertx.redis.client.ResponseType.BULK) {
            String json = r.get(1).toString();
            CachedPage cached = decoded.get(json);
            if (cached == null) {
                try {
                    cached = JSON.readValue(json, CachedPage.class);
                    if (decoded.size() >= DECODED_MAX) {
                        decoded.clear();
                    }
                    decoded.put(json, cached);
                } catch (JsonProcessingException e) {
                    Log.warnf("unreadable cached post page ignored: %s", e.getOriginalMessage());
                }
            }
            if (cached != null) {
                page = Optional.of(cached);
                ids = cached.rows().stream().map(Row::id).toList();
            }
        }
        Set<Long> liked = new java.util.HashSet<>();
        Response flags = r.get(2);
        for (int i = 0; flags != null && i < flags.size() && i < ids.size(); i++) {
            if (flags.get(i).toInteger() == 1) {
                liked.add(ids.get(i));
            }
        }
        return new Lookup(r.get(0).toString(), page, r.get(3).toInteger() == 1, liked, r.get(4).toString());
    }

    public void storePage(String version, String search, int limit, int offset, CachedPage page) {
        try {
            String ids = String.join(",", page.rows().stream().map(row -> Long.toString(row.id())).toList());
            String key = pagePrefix() + version + ":" + pageSuffix(search, limit, offset);
            redis.batch(List.of(
                    Request.cmd(Command.HSET).arg(key).arg("json").arg(JSON.writeValueAsString(page)).arg("ids").arg(ids),
                    Request.cmd(Command.PEXPIRE).arg(key).arg(PAGE_TTL.toMillis()))).await().atMost(Duration.ofSeconds(1));
        } catch (RuntimeException | JsonProcessingException e) {
            unavailable(e);
        }
    }

    /** Caches a user's liked post ids, read from PostgreSQL after {@code likesVersion} was read. */
    public void storeLikes(long userId, String likesVersion, List<Long> likedPostIds) {
        try {
            List<String> args = new ArrayList<>(List.of(likesVersion, Long.toString(LIKES_TTL.toMillis()), LOADED));
            likedPostIds.stream().limit(10_000).forEach(id -> args.add(Long.toString(id)));
            STORE_LIKES.run(redis, List.of(likesKey(userId), likesVersionKey(userId)), args).await().atMost(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            unavailable(e);
        }
    }

    /** After a committed post or author change: every cached page is now out of date. */
    public void changed() {
        changedAsync().await().atMost(Duration.ofSeconds(2));
    }

    /** {@link #changed()} without blocking: completes (never fails) once Redis has the new version. */
    public Uni<Void> changedAsync() {
        return redis.send(Request.cmd(Command.INCR).arg(versionKey()))
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().invoke(this::unavailable)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Moves the cache on once a transaction that changed posts, likes or authors has committed. */
    void committed(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS) PostsChanged change) {
        if (change.likedBy() != null) {
            likeChanged(change.likedBy());
        } else {
            changed();
        }
    }

    /** After a committed like toggle: pages are out of date (like counts) and so are the user's cached likes. */
    public void likeChanged(long userId) {
        try {
            TOGGLE.run(redis, List.of(versionKey(), likesKey(userId), likesVersionKey(userId)), List.of())
                    .await().atMost(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            unavailable(e);
        }
    }

    private void unavailable(Throwable e) {
        if (warned.compareAndSet(false, true)) {
            Log.warnf("post list cache unavailable, serving from PostgreSQL: %s", e.getMessage());
        }
    }

    private String versionKey() {
        return config.keys().postsVersion();
    }

    private String pagePrefix() {
        return config.keys().postsPagePrefix();
    }

    private String likesKey(long userId) {
        return config.keys().postsLikedBy(userId);
    }

    private String likesVersionKey(long userId) {
        return config.keys().postsLikedByVersion(userId);
    }

    /** limit, offset and a digest of the search term: keys stay short whatever the user typed. */
    private static String pageSuffix(String search, int limit, int offset) {
        String term = search == null ? "-" : sha1(search.toLowerCase(java.util.Locale.ROOT));
        return limit + ":" + offset + ":" + term;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
