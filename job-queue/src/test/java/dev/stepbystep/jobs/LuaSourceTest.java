package dev.stepbystep.jobs;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared Lua fragments are included once, where first named, and a missing one is named. */
class LuaSourceTest {

    @Test
    void aFragmentNamedTwiceIsIncludedOnceWhereItIsFirstNamed() {
        String source = LuaSource.resolve("lua-source-test/main.lua");
        assertThat(source).doesNotContain("--#include");
        assertThat(count(source, "local function a()")).isEqualTo(1);
        assertThat(source.indexOf("local function a()")).isLessThan(source.indexOf("local function b()"));
        assertThat(source).startsWith("-- main\n").endsWith("return a() + b()\n");
    }

    @Test
    void aMissingFragmentIsNamed() {
        assertThatThrownBy(() -> LuaSource.resolve("lua-source-test/broken.lua"))
                .hasMessageContaining("lua-source-test/lib/nowhere.lua");
    }

    @Test
    void everyQueueScriptResolvesAndItsShaIsOfWhatRedisRuns() {
        for (RedisScripts.Script script : RedisScripts.Script.values()) {
            LuaScript lua = script.lua();
            assertThat(lua.source()).as(lua.name()).doesNotContain("--#include");
            assertThat(lua.sha()).isEqualTo(LuaSource.sha1(lua.source()));
            Matcher functions = Pattern.compile("local function (\\w+)").matcher(lua.source());
            while (functions.find()) {
                assertThat(count(lua.source(), "local function " + functions.group(1) + "("))
                        .as("%s defines %s once", lua.name(), functions.group(1)).isEqualTo(1);
            }
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
