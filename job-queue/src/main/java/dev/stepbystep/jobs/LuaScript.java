package dev.stepbystep.jobs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Redis Lua script, run the one way the project runs scripts: EVALSHA, and EVAL with the
 * source only when Redis answers NOSCRIPT (first use, or after a Redis restart lost its cache).
 *
 * <p>A script from the classpath may include shared fragments ({@link LuaSource}); its SHA
 * covers exactly what Redis runs.
 */
public final class LuaScript {

    /** NOSCRIPT, alone or as a pipelined batch reports its first failed command ("ERR [index] ..."). */
    private static final Pattern NO_SCRIPT = Pattern.compile("(ERR \\[\\d+] )?NOSCRIPT");

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = LuaSource.sha1(source);
    }

    /** A script given as text (no includes). */
    public static LuaScript of(String name, String source) {
        return new LuaScript(name, source);
    }

    /** The script at {@code path} on the classpath (e.g. {@code jobs/enqueue.lua}), its includes resolved. */
    public static LuaScript resource(String path) {
        return new LuaScript(path, LuaSource.resolve(path));
    }

    public String name() {
        return name;
    }

    /** What Redis runs: the script with its fragments included. */
    public String source() {
        return source;
    }

    /** SHA-1 of {@link #source()}, as SCRIPT LOAD answers it. */
    public String sha() {
        return sha;
    }

    /** True when {@code failure} (or an error reply's text) is Redis' NOSCRIPT: it has no script by that SHA. */
    public static boolean isNoScript(Throwable failure) {
        return failure != null && isNoScript(failure.getMessage());
    }

    public static boolean isNoScript(String errorText) {
        return errorText != null && NO_SCRIPT.matcher(errorText).lookingAt();
    }

    /** The EVALSHA command, as words, for a connection of one's own. */
    public List<String> evalshaWords(List<String> keys, List<String> args) {
        List<String> words = new ArrayList<>(3 + keys.size() + args.size());
        words.add("EVALSHA");
        words.add(sha);
        words.add(Integer.toString(keys.size()));
        words.addAll(keys);
        words.addAll(args);
        return words;
    }

    /** Runs the script without blocking; the answer arrives on the Redis client's event loop. */
    public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    /** Runs the script once per (keys, args) pair, pipelined in one batch; fails when any run fails. */
    public Uni<List<Response>> runAll(Redis redis, List<List<String>> keys, List<List<String>> args) {
        if (keys.size() != args.size()) {
            throw new IllegalArgumentException("keys and args differ in count: " + keys.size() + " and " + args.size());
        }
        return redis.batch(requests(Command.EVALSHA, sha, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> redis.batch(requests(Command.EVAL, source, keys, args)));
    }

    @Override
    public String toString() {
        return name;
    }

    private static List<Request> requests(Command command, String script, List<List<String>> keys, List<List<String>> args) {
        List<Request> requests = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            requests.add(request(command, script, keys.get(i), args.get(i)));
        }
        return requests;
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }
}
