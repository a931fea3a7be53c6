package dev.stepbystep.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a Lua script on the classpath, as Redis is to run it. A script may include shared
 * fragments with a line {@code --#include lib/name.lua} (a path relative to the script's folder);
 * each fragment is included once, where it is first named. Plain JDK only, so tests and
 * benchmarks that talk RESP themselves can send the very scripts the queue runs.
 */
public final class LuaSource {

    private static final Pattern INCLUDE = Pattern.compile("(?m)^--#include (\\S+)[ \\t]*$");

    private LuaSource() {
    }

    /** The script at {@code path} (e.g. {@code jobs/enqueue.lua}) with its includes resolved. */
    public static String resolve(String path) {
        String folder = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        return resolve(read(path), folder, new LinkedHashSet<>());
    }

    /** SHA-1 of {@code source}, as SCRIPT LOAD answers it. */
    public static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resolve(String text, String folder, Set<String> included) {
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fragment = folder + m.group(1);
            String replacement = included.add(fragment) ? resolve(read(fragment), folder, included).stripTrailing() : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String path) {
        try (InputStream in = LuaSource.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
