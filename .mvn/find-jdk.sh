# Prints the home of a JDK >= 21: JAVA_HOME first, then `java` on PATH, then the usual JVM folders.
# Sourced by mvnw and scenarios/testbed; says clearly when there is none.
ldr_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
ldr_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major="$(ldr_jdk_major "$c")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$c"; return 0; fi
  done
  echo "No JDK 21 or newer found (looked at JAVA_HOME, PATH and the system JVM folders). Install one, or set JAVA_HOME to it." >&2
  return 1
}
