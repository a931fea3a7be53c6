package dev.stepbystep.jobs;

import dev.stepbystep.testing.BackingServices;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EVALSHA with the source sent only on NOSCRIPT, against the real Redis, for a script Redis has
 * never seen (its text is unique to the test run, so no other test's SCRIPT FLUSH or load matters).
 */
class LuaScriptTest {

    private final BackingServices.Endpoints services = BackingServices.locate();
    private final Vertx vertx = Vertx.vertx();
    private final Redis redis = Redis.createClient(vertx, "redis://" + services.redisHost() + ":" + services.redisPort());
    private final LuaScript script = LuaScript.of("echo", "-- " + UUID.randomUUID() + "\nreturn ARGV[1] .. KEYS[1]");

    @AfterEach
    void close() {
        redis.close();
        vertx.closeAndAwait();
    }

    @Test
    void aPipelinedBatchOfAnUnknownScriptFallsBackToEval() {
        List<Response> answers = script.runAll(redis, List.of(List.of("1"), List.of("2")), List.of(List.of("a"), List.of("b")))
                .await().atMost(Duration.ofSeconds(5));

        assertThat(answers).extracting(Response::toString).containsExactly("a1", "b2");
    }

    @Test
    void aSingleRunOfAnUnknownScriptFallsBackToEval() {
        assertThat(script.run(redis, List.of("1"), List.of("a")).await().atMost(Duration.ofSeconds(5)).toString()).isEqualTo("a1");
    }

    @Test
    void noScriptIsRecognisedAloneAndInsideABatchError() {
        assertThat(LuaScript.isNoScript("NOSCRIPT No matching script. Please use EVAL.")).isTrue();
        assertThat(LuaScript.isNoScript("ERR [0] NOSCRIPT No matching script. Please use EVAL.")).isTrue();
        assertThat(LuaScript.isNoScript("ERR Error running script: NOSCRIPT mentioned by a script")).isFalse();
        assertThat(LuaScript.isNoScript((String) null)).isFalse();
    }
}
