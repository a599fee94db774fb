# shellcheck shell=bash
# Helpers for .ci/run. Sourced, never run on its own; safe to source from a shell for local checks:
#   source .ci/lib.sh && ensure_tools && pg_start && pg_createdb demo && pg_stop

CI_OUT=${CI_OUT:-.ci/out}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=${PG_DIR:-/tmp/bearing-pg}
PG_PORT=${PG_PORT:-5433}
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT"
PID_FILE="$CI_OUT/server-pids"

section() { printf '\n=== %s ===\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# Root for installs and for su postgres; CI runs as root, a developer may use sudo.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------- installs (idempotent, quiet)

APT_UPDATED=0
apt_install() {
  mkdir -p "$CI_OUT"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$CI_OUT/apt.log" 2>&1 || return 1
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 "$@" >>"$CI_OUT/apt.log" 2>&1
}

# Installs whatever of PostgreSQL 15, Chromium + its driver, wrk, curl, an Arabic-capable font, LibreOffice
# Writer and poppler's pdftotext, and
# selenium (with axe-core) is missing. Returns non-zero (and says what) if something could not be installed.
ensure_tools() {
  local need=() started=$SECONDS ok=0
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql)
  command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  # The nginx example in deploy/ is checked with nginx -t (nothing here uses the default site it may start).
  command -v nginx >/dev/null 2>&1 || need+=(nginx)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  # The briefs' files opened as a partner would: LibreOffice converts the .docx, pdftotext reads PDFs.
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  if [ ${#need[@]} -gt 0 ]; then
    note "apt-get install ${need[*]} (log: $CI_OUT/apt.log)"
    if ! apt_install "${need[@]}"; then
      note "apt-get install failed; last lines of $CI_OUT/apt.log:"; tail -n 20 "$CI_OUT/apt.log" | sed 's/^/      /'
      ok=1
    fi
  else
    note "apt packages already installed"
  fi
  if ! python3 -c 'import selenium' >/dev/null 2>&1; then
    note "pip install selenium"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore 'selenium>=4.11,<5' \
      >>"$CI_OUT/pip.log" 2>&1 || { note "pip install selenium failed (see $CI_OUT/pip.log)"; ok=1; }
  fi
  if ! python3 -c 'import axe_selenium_python' >/dev/null 2>&1; then
    note "pip install axe-selenium-python (axe-core for the page sweep)"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore 'axe-selenium-python>=2.1,<3' \
      >>"$CI_OUT/pip.log" 2>&1 || { note "pip install axe-selenium-python failed (see $CI_OUT/pip.log)"; ok=1; }
  fi
  if ! command -v schemathesis >/dev/null 2>&1; then
    note "pip install schemathesis"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore 'schemathesis>=4.3,<5' \
      >>"$CI_OUT/pip.log" 2>&1 || { note "pip install schemathesis failed (see $CI_OUT/pip.log)"; ok=1; }
  fi
  if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    note "pip install aiosmtpd (the SMTP server the alert tests deliver to)"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore 'aiosmtpd>=1.4,<2' \
      >>"$CI_OUT/pip.log" 2>&1 || { note "pip install aiosmtpd failed (see $CI_OUT/pip.log)"; ok=1; }
  fi
  if ! python3 -c 'import hxl, six' >/dev/null 2>&1; then
    note "pip install libhxl six"
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore libhxl six \
      >>"$CI_OUT/pip.log" 2>&1 || { note "pip install libhxl failed (see $CI_OUT/pip.log)"; ok=1; }
  fi
  note "versions: $("$PG_BIN/postgres" --version 2>/dev/null || echo 'postgres missing')"
  note "          $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
  note "          $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2 || echo 'chromedriver missing')"
  note "          $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
  note "          selenium $(python3 -c 'import selenium; print(selenium.__version__)' 2>/dev/null || echo missing)"
  note "          libhxl $(python3 -c 'import hxl; print(hxl.__version__)' 2>/dev/null || echo missing)"
  note "tools ready in $((SECONDS - started)) s"
  return $ok
}

# ---------------------------------------------------------------- PostgreSQL 15 on 127.0.0.1:$PG_PORT

pg_su() { as_root su postgres -c "cd /tmp && $*"; }

pg_running() { [ -f "$PG_DIR/postmaster.pid" ] && pg_su "$PG_BIN/pg_ctl -D $PG_DIR status" >/dev/null 2>&1; }

# Fresh cluster every time: stops and removes a leftover data folder from an earlier run first.
pg_start() {
  local started=$SECONDS
  mkdir -p "$CI_OUT"
  if [ -d "$PG_DIR" ]; then
    note "removing leftover $PG_DIR"
    pg_running && { pg_su "$PG_BIN/pg_ctl -D $PG_DIR -w -m immediate stop" >/dev/null 2>&1 || true; }
    as_root rm -rf "$PG_DIR"
  fi
  as_root install -d -o postgres -g postgres -m 700 "$PG_DIR"
  # UTF8 whatever the caller's locale: the data has Arabic names.
  if ! pg_su "$PG_BIN/initdb -D $PG_DIR -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" \
      >"$CI_OUT/pg-initdb.log" 2>&1; then
    note "initdb failed:"; tail -n 20 "$CI_OUT/pg-initdb.log" | sed 's/^/      /'; return 1
  fi
  if ! pg_su "$PG_BIN/pg_ctl -D $PG_DIR -l $PG_DIR/log -w -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1' start" \
      >"$CI_OUT/pg-start.log" 2>&1; then
    note "pg_ctl start failed:"; sed 's/^/      /' "$CI_OUT/pg-start.log"
    as_root tail -n 20 "$PG_DIR/log" 2>/dev/null | sed 's/^/      /'; return 1
  fi
  note "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PG_PORT ($PG_DIR) in $((SECONDS - started)) s"
}

pg_stop() {
  [ -d "$PG_DIR" ] || return 0
  if pg_running; then
    pg_su "$PG_BIN/pg_ctl -D $PG_DIR -w -m fast stop" >/dev/null 2>&1 \
      || pg_su "$PG_BIN/pg_ctl -D $PG_DIR -w -m immediate stop" >/dev/null 2>&1 || true
    note "PostgreSQL stopped"
  fi
}

pg_psql() { PGCONNECT_TIMEOUT=10 psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
pg_createdb() { pg_psql -c "CREATE DATABASE $1" >/dev/null && note "created database $1"; }

# ---------------------------------------------------------------- app servers

# start_server NAME LOGFILE CMD... : starts CMD in the background, records its pid (in $PID_FILE, so
# the exit trap can stop it even when started from a subshell) and sets LAST_PID.
start_server() {
  local name=$1 log=$2; shift 2
  "$@" </dev/null >"$log" 2>&1 &
  LAST_PID=$!
  echo "$LAST_PID" >>"$PID_FILE"
  note "started $name (pid $LAST_PID, log $log)"
}

# stop_server PID: SIGTERM, up to 15 s for a clean exit, then SIGKILL. Only touches that pid.
stop_server() {
  local pid=$1 _
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  note "stopped pid $pid"
}

# Stops every server recorded in $PID_FILE that is still ours (a bearing process).
stop_recorded_servers() {
  local pid
  [ -f "$PID_FILE" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q bearing; then
      stop_server "$pid"
    fi
  done <"$PID_FILE"
  rm -f "$PID_FILE"
}

# port_free PORT: nothing answers HTTP there.
port_free() { ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null; }

# wait_health BASE PID [SECONDS=60]: polls BASE/health until it answers 200; fails early if PID dies.
wait_health() {
  local base=$1 pid=$2 limit=${3:-60} start=$SECONDS code
  while [ $((SECONDS - start)) -lt "$limit" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then note "server (pid $pid) exited before $base/health answered"; return 1; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/health" 2>/dev/null || true)
    if [ "$code" = 200 ]; then note "$base/health = 200 after $((SECONDS - start)) s"; return 0; fi
    sleep 0.5
  done
  note "$base/health did not answer 200 within $limit s (last status: ${code:-none})"
  return 1
}

# Demo sign-in details from `bearing demo` output: a line like
#   "  admin@demo.bearing.test  bearing-demo-admin  (system administrator)"
# Prints "EMAIL PASSWORD" or nothing.
demo_admin_from() {
  grep -E '@[^ ]+[[:space:]]+[^ ]+[[:space:]]+\(system administrator\)' "$1" 2>/dev/null | head -n1 | awk '{print $1, $2}'
}
