
use builtin;
use str;

set edit:completion:arg-completer[threadctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'threadctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'threadctl'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand put 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id'
            cand latest 'Print the newest checkpoint of a thread'
            cand show 'Print one checkpoint by id'
            cand history 'List a thread''s checkpoints, newest first (--graph: as a tree)'
            cand fork 'Branch from a checkpoint with a new state or a JSON merge patch'
            cand diff 'Show what changed in the state between two checkpoints'
            cand threads 'List threads with checkpoint count, latest step and last write'
            cand events 'Session event log: append, tail, archive'
            cand store 'Namespaced memory store: get, put, ls, rm, namespaces, evict'
            cand rm 'Delete one thread: its checkpoints, session events and watermark'
            cand copy 'Copy threads (checkpoints, events, watermark) and store items from one store to another'
            cand verify 'Check every record and session log; exit 5 listing each problem'
            cand export 'Write the selection as a dump (JSON Lines) to stdout or --file'
            cand import 'Read a dump from stdin or --file into the store'
            cand prune 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)'
            cand doctor 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees'
            cand bench 'Measure each operation through the library beside its raw floor'
            cand completions 'Print a shell completion script to stdout'
            cand lock 'Hold, inspect and break session locks (the services'' own lock)'
            cand migrate 'Envelope versions and schema: status, schema, run --to N, check'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;put'= {
            cand --state 'The new state: JSON literal, @FILE, or - for stdin'
            cand --next-node 'Node to run next [default: the parent''s]'
            cand --metadata 'Extra metadata (a JSON object; needs a store writing envelope version 2)'
            cand --parent 'Parent checkpoint [default: the thread''s latest]'
            cand --step 'Step number [default: the parent''s step + 1, 0 without a parent]'
            cand --if-latest 'Write only if ID is still the thread''s latest checkpoint'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --finished 'Record that the graph finished (next_node null)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;latest'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --state-only 'Print only the state, as compact JSON on one line'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;show'= {
            cand --step 'The checkpoint at step N instead of an id (the newest one when forks made several)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --state-only 'Print only the state, as compact JSON on one line'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;history'= {
            cand --limit 'At most N checkpoints'
            cand --before 'Start after checkpoint ID (newest-first order), for paging'
            cand --since 'Only checkpoints written at or after TIME (RFC 3339, or a duration ago such as 2h)'
            cand --until 'Only checkpoints written at or before TIME (RFC 3339, or a duration ago such as 30m)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --graph 'Draw parent links as a tree (oldest first); forks show as branches'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;fork'= {
            cand --from 'The parent checkpoint to branch from'
            cand --state 'The new state: JSON literal, @FILE, or - for stdin'
            cand --patch 'A JSON merge patch (RFC 7386) applied to the parent''s state'
            cand --metadata 'Extra metadata (a JSON object; needs envelope version 2)'
            cand --into 'Copy the history up to ID into this new thread and fork there'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;diff'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --exit-code 'Exit with status 6 when the states differ'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;threads'= {
            cand --tenants 'Only tenants whose id matches this glob (implies --all-tenants)'
            cand --sort 'Order of the rows'
            cand --limit 'At most N threads (the first N in --sort order)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand -A 'List every tenant''s threads instead of only --tenant''s'
            cand --all-tenants 'List every tenant''s threads instead of only --tenant''s'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;events'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand append 'Append an event, or a JSON array of events as one atomic batch'
            cand tail 'Print events after a cursor, oldest first; --follow waits for more'
            cand archive 'Archive (drop) the events before an ordinal'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;events;append'= {
            cand --event 'The event: JSON literal, @FILE, or - for stdin; an array appends each element (wrap a single array event in another array)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;events;tail'= {
            cand --since 'Cursor: print only events with a greater ordinal'
            cand --last 'Start with the last N events of the log (then, with --follow, the new ones)'
            cand --limit 'At most N events (without --follow)'
            cand --interval 'Poll interval for --follow (e.g. 500ms, 2s)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand -f 'Keep polling for new events until interrupted (table or jsonl output), reconnecting with backoff when the store is lost'
            cand --follow 'Keep polling for new events until interrupted (table or jsonl output), reconnecting with backoff when the store is lost'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;events;archive'= {
            cand --before 'Archive every event with an ordinal below N'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;events;help'= {
            cand append 'Append an event, or a JSON array of events as one atomic batch'
            cand tail 'Print events after a cursor, oldest first; --follow waits for more'
            cand archive 'Archive (drop) the events before an ordinal'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;events;help;append'= {
        }
        &'threadctl;events;help;tail'= {
        }
        &'threadctl;events;help;archive'= {
        }
        &'threadctl;events;help;help'= {
        }
        &'threadctl;store'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand get 'Print one item'
            cand put 'Write (or overwrite) one item, optionally expiring after --ttl'
            cand ls 'List the keys of one namespace, with when each item expires'
            cand rm 'Delete one item'
            cand namespaces 'List namespaces holding live items, at or below a prefix'
            cand evict 'Delete the tenant''s expired items and print how many went'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;store;get'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --value-only 'Print only the value, as compact JSON on one line'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;put'= {
            cand --ttl 'Expire the item after this long (e.g. 30s, 5m, 1h)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;ls'= {
            cand --prefix 'Only keys starting with this literal prefix'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;rm'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;namespaces'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;evict'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;store;help'= {
            cand get 'Print one item'
            cand put 'Write (or overwrite) one item, optionally expiring after --ttl'
            cand ls 'List the keys of one namespace, with when each item expires'
            cand rm 'Delete one item'
            cand namespaces 'List namespaces holding live items, at or below a prefix'
            cand evict 'Delete the tenant''s expired items and print how many went'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;store;help;get'= {
        }
        &'threadctl;store;help;put'= {
        }
        &'threadctl;store;help;ls'= {
        }
        &'threadctl;store;help;rm'= {
        }
        &'threadctl;store;help;namespaces'= {
        }
        &'threadctl;store;help;evict'= {
        }
        &'threadctl;store;help;help'= {
        }
        &'threadctl;rm'= {
            cand --wait 'Wait up to DURATION for the thread''s session lock instead of exiting 4 at once when a service holds it'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;copy'= {
            cand --from 'Store to copy from [default: the --url store]'
            cand --to 'Store to copy to (its schema is set up when it is new)'
            cand --tenants 'Only tenants matching this glob [default: every tenant]'
            cand --thread 'Only threads matching this glob'
            cand --namespace 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]'
            cand --since 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)'
            cand --until 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)'
            cand --ambiguous 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading'
            cand --on-conflict 'What to do with a record the target holds differently (an identical one is always skipped)'
            cand --batch-size 'Records written per atomic batch (copy also reads this many per round trip)'
            cand --lock-wait 'With --lock: how long to wait for a thread''s lock before skipping it (exit 4)'
            cand --jobs 'Threads copied in parallel'
            cand --rate 'At most N records read per second'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-events 'Leave session events and watermarks out'
            cand --no-store 'Leave store items out'
            cand --allow-lossy 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres'
            cand --dry-run 'Read everything and count it; write nothing (the target must exist)'
            cand --verify 'Afterwards compare source and target record by record (exit 6 listing differences)'
            cand --move 'Delete each thread from the source once it compared identical (asks on a terminal)'
            cand --lock 'Hold each thread''s session lock on the source while copying it'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;verify'= {
            cand --tenants 'Only tenants matching this glob [default: every tenant]'
            cand --thread 'Only threads matching this glob'
            cand --against 'Instead, compare this store with the one at URL record by record (exit 6 listing differences)'
            cand --page-size 'Records and events read per round trip'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-events 'With --against: leave session events and watermarks out'
            cand --no-store 'With --against: leave store items out'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;export'= {
            cand --tenants 'Only tenants matching this glob [default: every tenant]'
            cand --thread 'Only threads matching this glob'
            cand --namespace 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]'
            cand --since 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)'
            cand --until 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)'
            cand --ambiguous 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading'
            cand --file 'Write the dump to FILE (created or truncated) instead of stdout'
            cand --page-size 'Records read per round trip'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-events 'Leave session events and watermarks out'
            cand --no-store 'Leave store items out'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;import'= {
            cand --tenants 'Only tenants matching this glob [default: every tenant]'
            cand --thread 'Only threads matching this glob'
            cand --namespace 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]'
            cand --since 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)'
            cand --until 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)'
            cand --on-conflict 'What to do with a record the target holds differently (an identical one is always skipped)'
            cand --batch-size 'Records written per atomic batch (copy also reads this many per round trip)'
            cand --file 'Read the dump from FILE instead of stdin'
            cand --max-line-bytes 'Refuse lines longer than this many bytes (a damaged or hostile stream)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-events 'Leave session events and watermarks out'
            cand --no-store 'Leave store items out'
            cand --allow-lossy 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres'
            cand --dry-run 'Read everything and count it; write nothing (the target must exist)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;prune'= {
            cand --keep-last 'Per thread, keep the latest checkpoint and every branch head, each with its N-1 nearest ancestors; delete the rest'
            cand --older-than 'Delete whole threads (checkpoints, events, watermark) whose newest checkpoint is older than DURATION, e.g. 30d'
            cand --events-keep-last 'Archive each session log down to its last N events'
            cand --tenants 'Only tenants matching this glob [default: every tenant]'
            cand --thread 'Only threads matching this glob'
            cand --exclude 'Never touch threads matching this glob'
            cand --batch-size 'Checkpoints read, and deleted, per round trip'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --dry-run 'Show what would go (threads, checkpoints, events, bytes); change nothing'
            cand --vacuum 'Reclaim the space afterwards (Postgres VACUUM of the tables pruned, SQLite VACUUM; nothing to do on Redis) and print the size before and after'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;doctor'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;bench'= {
            cand --ops 'Measured calls per operation and side, over all clients (`threads`: one listing per 1,000, at least one)'
            cand --clients 'Concurrent clients'
            cand --state-bytes 'Size of each checkpoint''s state and store value, in bytes'
            cand --threads 'Threads in the listing that `threads` reads'
            cand --only 'Only these operations (comma-separated): put, latest, show, history, fork, store-put, store-get, append, load, lock, threads'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;completions'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand run 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status'
            cand acquire 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
            cand release 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
            cand status 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)'
            cand ls 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"'
            cand break 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;lock;run'= {
            cand --ttl 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat'
            cand --wait 'How long to wait for a busy lock before giving up (exit 4)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-wait 'Fail at once (exit 4) if the lock is busy'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;acquire'= {
            cand --ttl 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat'
            cand --wait 'How long to wait for a busy lock before giving up (exit 4)'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-wait 'Fail at once (exit 4) if the lock is busy'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;release'= {
            cand --token 'The token `lock acquire` printed'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;status'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;ls'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;break'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;lock;help'= {
            cand run 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status'
            cand acquire 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
            cand release 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
            cand status 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)'
            cand ls 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"'
            cand break 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;lock;help;run'= {
        }
        &'threadctl;lock;help;acquire'= {
        }
        &'threadctl;lock;help;release'= {
        }
        &'threadctl;lock;help;status'= {
        }
        &'threadctl;lock;help;ls'= {
        }
        &'threadctl;lock;help;break'= {
        }
        &'threadctl;lock;help;help'= {
        }
        &'threadctl;migrate'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand status 'Tables, policies and recorded migrations; write version; records per version'
            cand schema 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
            cand run 'Rewrite every selected record at envelope version N, in atomic batches'
            cand check 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;migrate;status'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;migrate;schema'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;migrate;run'= {
            cand --to 'The envelope version to rewrite records at (1 or 2)'
            cand --batch-size 'Records per atomic batch'
            cand --tenants 'Only tenants matching this glob'
            cand --thread 'Only threads matching this glob'
            cand --wait 'Wait up to DURATION for another run to finish instead of exiting 4'
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --dry-run 'Count what would be rewritten; write nothing'
            cand --allow-lossy 'Let a downgrade to 1 drop records'' non-empty metadata'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;migrate;check'= {
            cand --url 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]'
            cand --tenant 'Tenant whose data commands address'
            cand -o 'Output format of results on stdout'
            cand --output 'Output format of results on stdout'
            cand --ca-file 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]'
            cand --connect-timeout 'Longest time to establish a connection to the server, e.g. 10s'
            cand --timeout 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)'
            cand --no-headers 'Print tables without their header row'
            cand -q 'Print only results and errors (no notes or warnings)'
            cand --quiet 'Print only results and errors (no notes or warnings)'
            cand -v 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand --verbose 'Log more to stderr (-v info, -vv debug, -vvv trace)'
            cand -y 'Confirm destructive actions without asking (required when not on a terminal)'
            cand --yes 'Confirm destructive actions without asking (required when not on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'threadctl;migrate;help'= {
            cand status 'Tables, policies and recorded migrations; write version; records per version'
            cand schema 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
            cand run 'Rewrite every selected record at envelope version N, in atomic batches'
            cand check 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;migrate;help;status'= {
        }
        &'threadctl;migrate;help;schema'= {
        }
        &'threadctl;migrate;help;run'= {
        }
        &'threadctl;migrate;help;check'= {
        }
        &'threadctl;migrate;help;help'= {
        }
        &'threadctl;help'= {
            cand put 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id'
            cand latest 'Print the newest checkpoint of a thread'
            cand show 'Print one checkpoint by id'
            cand history 'List a thread''s checkpoints, newest first (--graph: as a tree)'
            cand fork 'Branch from a checkpoint with a new state or a JSON merge patch'
            cand diff 'Show what changed in the state between two checkpoints'
            cand threads 'List threads with checkpoint count, latest step and last write'
            cand events 'Session event log: append, tail, archive'
            cand store 'Namespaced memory store: get, put, ls, rm, namespaces, evict'
            cand rm 'Delete one thread: its checkpoints, session events and watermark'
            cand copy 'Copy threads (checkpoints, events, watermark) and store items from one store to another'
            cand verify 'Check every record and session log; exit 5 listing each problem'
            cand export 'Write the selection as a dump (JSON Lines) to stdout or --file'
            cand import 'Read a dump from stdin or --file into the store'
            cand prune 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)'
            cand doctor 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees'
            cand bench 'Measure each operation through the library beside its raw floor'
            cand completions 'Print a shell completion script to stdout'
            cand lock 'Hold, inspect and break session locks (the services'' own lock)'
            cand migrate 'Envelope versions and schema: status, schema, run --to N, check'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'threadctl;help;put'= {
        }
        &'threadctl;help;latest'= {
        }
        &'threadctl;help;show'= {
        }
        &'threadctl;help;history'= {
        }
        &'threadctl;help;fork'= {
        }
        &'threadctl;help;diff'= {
        }
        &'threadctl;help;threads'= {
        }
        &'threadctl;help;events'= {
            cand append 'Append an event, or a JSON array of events as one atomic batch'
            cand tail 'Print events after a cursor, oldest first; --follow waits for more'
            cand archive 'Archive (drop) the events before an ordinal'
        }
        &'threadctl;help;events;append'= {
        }
        &'threadctl;help;events;tail'= {
        }
        &'threadctl;help;events;archive'= {
        }
        &'threadctl;help;store'= {
            cand get 'Print one item'
            cand put 'Write (or overwrite) one item, optionally expiring after --ttl'
            cand ls 'List the keys of one namespace, with when each item expires'
            cand rm 'Delete one item'
            cand namespaces 'List namespaces holding live items, at or below a prefix'
            cand evict 'Delete the tenant''s expired items and print how many went'
        }
        &'threadctl;help;store;get'= {
        }
        &'threadctl;help;store;put'= {
        }
        &'threadctl;help;store;ls'= {
        }
        &'threadctl;help;store;rm'= {
        }
        &'threadctl;help;store;namespaces'= {
        }
        &'threadctl;help;store;evict'= {
        }
        &'threadctl;help;rm'= {
        }
        &'threadctl;help;copy'= {
        }
        &'threadctl;help;verify'= {
        }
        &'threadctl;help;export'= {
        }
        &'threadctl;help;import'= {
        }
        &'threadctl;help;prune'= {
        }
        &'threadctl;help;doctor'= {
        }
        &'threadctl;help;bench'= {
        }
        &'threadctl;help;completions'= {
        }
        &'threadctl;help;lock'= {
            cand run 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status'
            cand acquire 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
            cand release 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
            cand status 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)'
            cand ls 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"'
            cand break 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
        }
        &'threadctl;help;lock;run'= {
        }
        &'threadctl;help;lock;acquire'= {
        }
        &'threadctl;help;lock;release'= {
        }
        &'threadctl;help;lock;status'= {
        }
        &'threadctl;help;lock;ls'= {
        }
        &'threadctl;help;lock;break'= {
        }
        &'threadctl;help;migrate'= {
            cand status 'Tables, policies and recorded migrations; write version; records per version'
            cand schema 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
            cand run 'Rewrite every selected record at envelope version N, in atomic batches'
            cand check 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
        }
        &'threadctl;help;migrate;status'= {
        }
        &'threadctl;help;migrate;schema'= {
        }
        &'threadctl;help;migrate;run'= {
        }
        &'threadctl;help;migrate;check'= {
        }
        &'threadctl;help;help'= {
        }
    ]
    $completions[$command]
}
