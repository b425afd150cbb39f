#!/usr/bin/env bash
# Obtains the Temporal servers plangraf runs on, once, into .temporal/ (git-ignored):
#   .temporal/bin/temporal              the Temporal CLI (dev server with Web UI and SQLite), built from the Go module proxy
#   .temporal/bin/temporal-test-server  the Java time-skipping test server from Maven Central, behind an exec wrapper
# Idempotent: what is already there is kept. Says plainly what is missing when it cannot proceed.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI_VERSION=v1.5.1            # later tags carry `replace` directives that `go install` refuses
TEST_SERVER_VERSION=1.35.0
root=$PWD/.temporal
mkdir -p "$root/bin"

if [ ! -x "$root/bin/temporal" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "plangraf: чтобы собрать Temporal CLI, нужен Go (https://go.dev/dl/, или apt-get install golang-go)" >&2
    exit 1
  fi
  echo "plangraf: собираю Temporal CLI $CLI_VERSION из модулей Go (один раз, несколько минут)…" >&2
  GOBIN="$root/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION"
fi

server=$root/test-server
if [ ! -f "$server/lib/temporal-test-server-$TEST_SERVER_VERSION.jar" ] || [ ! -f "$server/lib/slf4j-nop-1.7.36.jar" ]; then
  for tool in java mvn; do
    if ! command -v $tool >/dev/null 2>&1; then
      echo "plangraf: для тестового сервера Temporal нужны Java 17+ и Maven (apt-get install openjdk-17-jre-headless maven): не найден $tool" >&2
      exit 1
    fi
  done
  echo "plangraf: загружаю тестовый сервер Temporal $TEST_SERVER_VERSION из Maven Central…" >&2
  mkdir -p "$server"
  cat > "$server/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>plangraf</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
    <dependency>
      <!-- the server logs through SLF4J 1.x; without a binding it warns on every start -->
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
POM
  rm -rf "$server/lib"
  # Maven 3.8 writes colour resets even when quiet: its output is shown only when it fails.
  if ! mvn -q -B -f "$server/pom.xml" dependency:copy-dependencies -DoutputDirectory="$server/lib" -DincludeScope=runtime >"$server/maven.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$server/maven.log" >&2
    echo "plangraf: не удалось загрузить тестовый сервер Temporal из Maven Central (журнал выше)" >&2
    exit 1
  fi
fi

# The SDK starts the test server as `<path> <port>` and kills that process: exec hands the PID to the JVM.
# The server runs in UTC whatever the machine's zone: under a zone with summer time
# (America/St_Johns, as the test command runs the workflow tests, or America/New_York) the plan
# change tests, which skip the clock by months, left an update to a task waiting forever and the
# rest of their file after it; under UTC they pass.
cat > "$root/bin/temporal-test-server" <<WRAPPER
#!/usr/bin/env bash
export TZ=UTC
exec java -Xss4m -Duser.timezone=UTC -cp "$server/lib/*" io.temporal.testserver.TestServer "\$@"
WRAPPER
chmod +x "$root/bin/temporal-test-server"
