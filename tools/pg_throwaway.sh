#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for one test run (issue 17): unix socket only, fsync off, UTF8, C collation.
# The superuser postgres logs in without a password (trust); every other role with its password (scram-sha-256),
# as on an office server, so that the tests of the staff's login roles (issue 18) check real passwords.
#   eval "$(tools/pg_throwaway.sh start)"   prints export lines: COMMUNITY_DESK_TEST_PG (the database URL) and
#                                           DESK_PG_DIR (the cluster's folder); on failure prints the reason on
#                                           stderr, and an export of COMMUNITY_DESK_TEST_PG_SKIP with it, exit 1
#   tools/pg_throwaway.sh stop DIR          stops the cluster and removes DIR (safe to call twice)
# initdb refuses root: as root the cluster runs as the `postgres` user (runuser), otherwise as the caller.
set -uo pipefail

pg_bin() {  # the newest Debian PostgreSQL, else whatever initdb is on PATH
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/createdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

as_owner() {  # as the cluster's owner: postgres when root starts it (initdb refuses root), else the caller
    local owner=postgres
    [ -d "${dir:-}" ] && owner=$(stat -c %U "$dir")
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

fail() {
    echo "pg_throwaway: $*" >&2
    printf 'export COMMUNITY_DESK_TEST_PG_SKIP=%q\n' "$*"
    [ -n "${dir:-}" ] && "$0" stop "$dir" >/dev/null 2>&1
    exit 1
}

case "${1:-}" in
start)
    bin=$(pg_bin) || fail "PostgreSQL (initdb, pg_ctl) is not installed"
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then fail "no postgres user to run the cluster as"; fi
    dir=$(mktemp -d /tmp/desk-pg.XXXXXX) || fail "cannot make a temporary folder"
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$dir/initdb.log" 2>&1 || fail "initdb failed: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
    printf 'local all postgres trust\nlocal all all scram-sha-256\n' | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1 || fail "the server did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
    as_owner "$bin/createdb" -h "$dir" -U postgres -T template0 -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 desk_test \
        >/dev/null 2>"$dir/createdb.log" || fail "createdb failed: $(cat "$dir/createdb.log")"
    echo "export DESK_PG_DIR=$dir"
    echo "export COMMUNITY_DESK_TEST_PG='postgresql://postgres@/desk_test?host=$dir'"
    ;;
stop)
    dir=${2:?usage: $0 stop DIR}
    case "$dir" in /tmp/desk-pg.*) ;; *) echo "pg_throwaway: not a throwaway cluster: $dir" >&2; exit 2 ;; esac
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(pg_bin) && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then  # pg_ctl could not stop it: end that server only
            kill -QUIT "$pid" 2>/dev/null; sleep 1; kill -KILL "$pid" 2>/dev/null
        fi
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
