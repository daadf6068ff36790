# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_threadctl_global_optspecs
    string join \n url= tenant= o/output= no-headers q/quiet v/verbose y/yes ca-file= connect-timeout= timeout= h/help V/version
end

function __fish_threadctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_threadctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_threadctl_using_subcommand
    set -l cmd (__fish_threadctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c threadctl -n "__fish_threadctl_needs_command" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_needs_command" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_needs_command" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_needs_command" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_needs_command" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_needs_command" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_needs_command" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_needs_command" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_needs_command" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_needs_command" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_needs_command" -s V -l version -d 'Print version'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "put" -d 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "latest" -d 'Print the newest checkpoint of a thread'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "show" -d 'Print one checkpoint by id'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "history" -d 'List a thread\'s checkpoints, newest first (--graph: as a tree)'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "fork" -d 'Branch from a checkpoint with a new state or a JSON merge patch'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "diff" -d 'Show what changed in the state between two checkpoints'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "threads" -d 'List threads with checkpoint count, latest step and last write'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "events" -d 'Session event log: append, tail, archive'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "store" -d 'Namespaced memory store: get, put, ls, rm, namespaces, evict'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "rm" -d 'Delete one thread: its checkpoints, session events and watermark'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "copy" -d 'Copy threads (checkpoints, events, watermark) and store items from one store to another'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "verify" -d 'Check every record and session log; exit 5 listing each problem'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "export" -d 'Write the selection as a dump (JSON Lines) to stdout or --file'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "import" -d 'Read a dump from stdin or --file into the store'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "prune" -d 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "doctor" -d 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "bench" -d 'Measure each operation through the library beside its raw floor'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "lock" -d 'Hold, inspect and break session locks (the services\' own lock)'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "migrate" -d 'Envelope versions and schema: status, schema, run --to N, check'
complete -c threadctl -n "__fish_threadctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l state -d 'The new state: JSON literal, @FILE, or - for stdin' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l next-node -d 'Node to run next [default: the parent\'s]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l metadata -d 'Extra metadata (a JSON object; needs a store writing envelope version 2)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l parent -d 'Parent checkpoint [default: the thread\'s latest]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l step -d 'Step number [default: the parent\'s step + 1, 0 without a parent]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l if-latest -d 'Write only if ID is still the thread\'s latest checkpoint' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l finished -d 'Record that the graph finished (next_node null)'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l state-only -d 'Print only the state, as compact JSON on one line'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand latest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l step -d 'The checkpoint at step N instead of an id (the newest one when forks made several)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l state-only -d 'Print only the state, as compact JSON on one line'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l limit -d 'At most N checkpoints' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l before -d 'Start after checkpoint ID (newest-first order), for paging' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l since -d 'Only checkpoints written at or after TIME (RFC 3339, or a duration ago such as 2h)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l until -d 'Only checkpoints written at or before TIME (RFC 3339, or a duration ago such as 30m)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l graph -d 'Draw parent links as a tree (oldest first); forks show as branches'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l from -d 'The parent checkpoint to branch from' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l state -d 'The new state: JSON literal, @FILE, or - for stdin' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l patch -d 'A JSON merge patch (RFC 7386) applied to the parent\'s state' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l metadata -d 'Extra metadata (a JSON object; needs envelope version 2)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l into -d 'Copy the history up to ID into this new thread and fork there' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand fork" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l exit-code -d 'Exit with status 6 when the states differ'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l tenants -d 'Only tenants whose id matches this glob (implies --all-tenants)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l sort -d 'Order of the rows' -r -f -a "last-write\t'Newest last write first'
thread\t'By tenant, then thread id'
checkpoints\t'Most checkpoints first'"
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l limit -d 'At most N threads (the first N in --sort order)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s A -l all-tenants -d 'List every tenant\'s threads instead of only --tenant\'s'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand threads" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -f -a "append" -d 'Append an event, or a JSON array of events as one atomic batch'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -f -a "tail" -d 'Print events after a cursor, oldest first; --follow waits for more'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -f -a "archive" -d 'Archive (drop) the events before an ordinal'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and not __fish_seen_subcommand_from append tail archive help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l event -d 'The event: JSON literal, @FILE, or - for stdin; an array appends each element (wrap a single array event in another array)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from append" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l since -d 'Cursor: print only events with a greater ordinal' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l last -d 'Start with the last N events of the log (then, with --follow, the new ones)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l limit -d 'At most N events (without --follow)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l interval -d 'Poll interval for --follow (e.g. 500ms, 2s)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s f -l follow -d 'Keep polling for new events until interrupted (table or jsonl output), reconnecting with backoff when the store is lost'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l before -d 'Archive every event with an ordinal below N' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from archive" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "append" -d 'Append an event, or a JSON array of events as one atomic batch'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "tail" -d 'Print events after a cursor, oldest first; --follow waits for more'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "archive" -d 'Archive (drop) the events before an ordinal'
complete -c threadctl -n "__fish_threadctl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "get" -d 'Print one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "put" -d 'Write (or overwrite) one item, optionally expiring after --ttl'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "ls" -d 'List the keys of one namespace, with when each item expires'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "rm" -d 'Delete one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "namespaces" -d 'List namespaces holding live items, at or below a prefix'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "evict" -d 'Delete the tenant\'s expired items and print how many went'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and not __fish_seen_subcommand_from get put ls rm namespaces evict help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l value-only -d 'Print only the value, as compact JSON on one line'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l ttl -d 'Expire the item after this long (e.g. 30s, 5m, 1h)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l prefix -d 'Only keys starting with this literal prefix' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from namespaces" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from evict" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "put" -d 'Write (or overwrite) one item, optionally expiring after --ttl'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the keys of one namespace, with when each item expires'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "namespaces" -d 'List namespaces holding live items, at or below a prefix'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "evict" -d 'Delete the tenant\'s expired items and print how many went'
complete -c threadctl -n "__fish_threadctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l wait -d 'Wait up to DURATION for the thread\'s session lock instead of exiting 4 at once when a service holds it' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l from -d 'Store to copy from [default: the --url store]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l to -d 'Store to copy to (its schema is set up when it is new)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l tenants -d 'Only tenants matching this glob [default: every tenant]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l namespace -d 'Only store items in this namespace scope or below (e.g. agent\\:1:notes) [default: all]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l since -d 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l until -d 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l ambiguous -d 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading' -r -f -a "prefer\t'Take the preferred reading; report a session log that has none and leave it out (exit 5)'
both\t'Write the record under every reading'"
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l on-conflict -d 'What to do with a record the target holds differently (an identical one is always skipped)' -r -f -a "skip\t'Leave a record the target holds differently, report it, exit 5 at the end'
overwrite\t'Replace it with the incoming record'
fail\t'Stop at the first one (exit 1)'"
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l batch-size -d 'Records written per atomic batch (copy also reads this many per round trip)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l lock-wait -d 'With --lock: how long to wait for a thread\'s lock before skipping it (exit 4)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l jobs -d 'Threads copied in parallel' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l rate -d 'At most N records read per second' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l no-events -d 'Leave session events and watermarks out'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l no-store -d 'Leave store items out'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l allow-lossy -d 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l dry-run -d 'Read everything and count it; write nothing (the target must exist)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l verify -d 'Afterwards compare source and target record by record (exit 6 listing differences)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l move -d 'Delete each thread from the source once it compared identical (asks on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l lock -d 'Hold each thread\'s session lock on the source while copying it'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l tenants -d 'Only tenants matching this glob [default: every tenant]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l against -d 'Instead, compare this store with the one at URL record by record (exit 6 listing differences)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l page-size -d 'Records and events read per round trip' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l no-events -d 'With --against: leave session events and watermarks out'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l no-store -d 'With --against: leave store items out'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l tenants -d 'Only tenants matching this glob [default: every tenant]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l namespace -d 'Only store items in this namespace scope or below (e.g. agent\\:1:notes) [default: all]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l since -d 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l until -d 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l ambiguous -d 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading' -r -f -a "prefer\t'Take the preferred reading; report a session log that has none and leave it out (exit 5)'
both\t'Write the record under every reading'"
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l file -d 'Write the dump to FILE (created or truncated) instead of stdout' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l page-size -d 'Records read per round trip' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l no-events -d 'Leave session events and watermarks out'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l no-store -d 'Leave store items out'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l tenants -d 'Only tenants matching this glob [default: every tenant]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l namespace -d 'Only store items in this namespace scope or below (e.g. agent\\:1:notes) [default: all]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l since -d 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l until -d 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l on-conflict -d 'What to do with a record the target holds differently (an identical one is always skipped)' -r -f -a "skip\t'Leave a record the target holds differently, report it, exit 5 at the end'
overwrite\t'Replace it with the incoming record'
fail\t'Stop at the first one (exit 1)'"
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l batch-size -d 'Records written per atomic batch (copy also reads this many per round trip)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l file -d 'Read the dump from FILE instead of stdin' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l max-line-bytes -d 'Refuse lines longer than this many bytes (a damaged or hostile stream)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l no-events -d 'Leave session events and watermarks out'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l no-store -d 'Leave store items out'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l allow-lossy -d 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l dry-run -d 'Read everything and count it; write nothing (the target must exist)'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l keep-last -d 'Per thread, keep the latest checkpoint and every branch head, each with its N-1 nearest ancestors; delete the rest' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l older-than -d 'Delete whole threads (checkpoints, events, watermark) whose newest checkpoint is older than DURATION, e.g. 30d' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l events-keep-last -d 'Archive each session log down to its last N events' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l tenants -d 'Only tenants matching this glob [default: every tenant]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l exclude -d 'Never touch threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l batch-size -d 'Checkpoints read, and deleted, per round trip' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l dry-run -d 'Show what would go (threads, checkpoints, events, bytes); change nothing'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l vacuum -d 'Reclaim the space afterwards (Postgres VACUUM of the tables pruned, SQLite VACUUM; nothing to do on Redis) and print the size before and after'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l ops -d 'Measured calls per operation and side, over all clients (`threads`: one listing per 1,000, at least one)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l clients -d 'Concurrent clients' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l state-bytes -d 'Size of each checkpoint\'s state and store value, in bytes' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l threads -d 'Threads in the listing that `threads` reads' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l only -d 'Only these operations (comma-separated): put, latest, show, history, fork, store-put, store-get, append, load, lock, threads' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "run" -d 'Hold THREAD\'s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD\'s status'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "acquire" -d 'Take THREAD\'s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "release" -d 'Release THREAD\'s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder\'s (a wrong token, or another thread\'s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "status" -d 'Whether THREAD\'s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder\'s token (Redis; never the token itself)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "ls" -d 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread\'s ids), else "(unknown)"'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "break" -d 'Force-release THREAD\'s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and not __fish_seen_subcommand_from run acquire release status ls break help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l ttl -d 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l wait -d 'How long to wait for a busy lock before giving up (exit 4)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l no-wait -d 'Fail at once (exit 4) if the lock is busy'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l ttl -d 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l wait -d 'How long to wait for a busy lock before giving up (exit 4)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l no-wait -d 'Fail at once (exit 4) if the lock is busy'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from acquire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l token -d 'The token `lock acquire` printed' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from break" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "run" -d 'Hold THREAD\'s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD\'s status'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "acquire" -d 'Take THREAD\'s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "release" -d 'Release THREAD\'s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder\'s (a wrong token, or another thread\'s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether THREAD\'s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder\'s token (Redis; never the token itself)'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread\'s ids), else "(unknown)"'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "break" -d 'Force-release THREAD\'s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
complete -c threadctl -n "__fish_threadctl_using_subcommand lock; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -f -a "status" -d 'Tables, policies and recorded migrations; write version; records per version'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -f -a "schema" -d 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -f -a "run" -d 'Rewrite every selected record at envelope version N, in atomic batches'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -f -a "check" -d 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and not __fish_seen_subcommand_from status schema run check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l to -d 'The envelope version to rewrite records at (1 or 2)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l batch-size -d 'Records per atomic batch' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l tenants -d 'Only tenants matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l thread -d 'Only threads matching this glob' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l wait -d 'Wait up to DURATION for another run to finish instead of exiting 4' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l dry-run -d 'Count what would be rewritten; write nothing'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l allow-lossy -d 'Let a downgrade to 1 drop records\' non-empty metadata'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l url -d 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user\'s data directory]' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l tenant -d 'Tenant whose data commands address' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format of results on stdout' -r -f -a "table\t'Aligned columns for people'
wide\t'Tables with full ids and absolute times, rows never cut'
json\t'One pretty-printed JSON document (a list is an array)'
jsonl\t'One compact JSON object per line'"
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l ca-file -d 'PEM file of the certificate authority that signed the server\'s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system\'s trusted roots]' -r -F
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l connect-timeout -d 'Longest time to establish a connection to the server, e.g. 10s' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l timeout -d 'Longest wait for the server\'s answer to one operation, e.g. 2m (a wait for a session lock comes on top)' -r
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -l no-headers -d 'Print tables without their header row'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only results and errors (no notes or warnings)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Log more to stderr (-v info, -vv debug, -vvv trace)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -s y -l yes -d 'Confirm destructive actions without asking (required when not on a terminal)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Tables, policies and recorded migrations; write version; records per version'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "run" -d 'Rewrite every selected record at envelope version N, in atomic batches'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "check" -d 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
complete -c threadctl -n "__fish_threadctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "put" -d 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "latest" -d 'Print the newest checkpoint of a thread'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "show" -d 'Print one checkpoint by id'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "history" -d 'List a thread\'s checkpoints, newest first (--graph: as a tree)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "fork" -d 'Branch from a checkpoint with a new state or a JSON merge patch'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "diff" -d 'Show what changed in the state between two checkpoints'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "threads" -d 'List threads with checkpoint count, latest step and last write'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "events" -d 'Session event log: append, tail, archive'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "store" -d 'Namespaced memory store: get, put, ls, rm, namespaces, evict'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "rm" -d 'Delete one thread: its checkpoints, session events and watermark'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "copy" -d 'Copy threads (checkpoints, events, watermark) and store items from one store to another'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "verify" -d 'Check every record and session log; exit 5 listing each problem'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "export" -d 'Write the selection as a dump (JSON Lines) to stdout or --file'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "import" -d 'Read a dump from stdin or --file into the store'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "prune" -d 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "doctor" -d 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "bench" -d 'Measure each operation through the library beside its raw floor'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "lock" -d 'Hold, inspect and break session locks (the services\' own lock)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "migrate" -d 'Envelope versions and schema: status, schema, run --to N, check'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and not __fish_seen_subcommand_from put latest show history fork diff threads events store rm copy verify export import prune doctor bench completions lock migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "append" -d 'Append an event, or a JSON array of events as one atomic batch'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "tail" -d 'Print events after a cursor, oldest first; --follow waits for more'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "archive" -d 'Archive (drop) the events before an ordinal'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "get" -d 'Print one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "put" -d 'Write (or overwrite) one item, optionally expiring after --ttl'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "ls" -d 'List the keys of one namespace, with when each item expires'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "rm" -d 'Delete one item'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "namespaces" -d 'List namespaces holding live items, at or below a prefix'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "evict" -d 'Delete the tenant\'s expired items and print how many went'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "run" -d 'Hold THREAD\'s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD\'s status'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "acquire" -d 'Take THREAD\'s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "release" -d 'Release THREAD\'s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder\'s (a wrong token, or another thread\'s). With -o json/jsonl: {thread_id, tenant_id, key, released}'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "status" -d 'Whether THREAD\'s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder\'s token (Redis; never the token itself)'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "ls" -d 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread\'s ids), else "(unknown)"'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from lock" -f -a "break" -d 'Force-release THREAD\'s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Tables, policies and recorded migrations; write version; records per version'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "schema" -d 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "run" -d 'Rewrite every selected record at envelope version N, in atomic batches'
complete -c threadctl -n "__fish_threadctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "check" -d 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)'
