# Shared by bin/run-local and .ci/run. Source it; it defines functions and changes nothing.

# Picks a JDK 21+ for Maven and the services: JAVA_HOME when it is one, else the newest in
# /usr/lib/jvm. Exits with a one-line reason when there is none.
select_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /,"",$2); print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "no JDK 21 or newer found: install one (e.g. Temurin 21+) and set JAVA_HOME" >&2
  exit 1
}

postgres_up() {
  local host="${POSTGRES_SERVICE_HOST:-localhost}" port="${POSTGRES_SERVICE_PORT:-5432}"
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$host" -p "$port"
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

redis_up() {
  local host="${REDIS_SERVICE_HOST:-127.0.0.1}" port="${REDIS_SERVICE_PORT:-6379}"
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

# Waits up to $2 seconds for the check function $1 to succeed.
wait_for() {
  local check="$1" seconds="$2" i
  for ((i = 0; i < seconds * 2; i++)); do
    "$check" && return 0
    sleep 0.5
  done
  return 1
}
