package dev.stepbystep.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test clean-up of Redis keys by pattern, over a plain socket (RESP), so it works from any test,
 * in-process or not, without a client library.
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** Deletes every key matching {@code pattern}; returns how many. */
    public static int deleteAll(BackingServices.Endpoints redis, String pattern) {
        try (Socket socket = new Socket(redis.redisHost(), redis.redisPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String cursor = "0";
            int deleted = 0;
            do {
                send(out, "SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
                in.readLine(); // *2
                in.readLine(); // $n
                cursor = in.readLine();
                int n = Integer.parseInt(in.readLine().substring(1));
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    in.readLine();
                    keys.add(in.readLine());
                }
                if (!keys.isEmpty()) {
                    List<String> command = new ArrayList<>(List.of("DEL"));
                    command.addAll(keys);
                    send(out, command.toArray(String[]::new));
                    deleted += Integer.parseInt(in.readLine().substring(1));
                }
            } while (!"0".equals(cursor));
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean Redis keys " + pattern, e);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder s = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            s.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(s.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
