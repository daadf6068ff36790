
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'threadctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'threadctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'threadctl' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id')
            [CompletionResult]::new('latest', 'latest', [CompletionResultType]::ParameterValue, 'Print the newest checkpoint of a thread')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one checkpoint by id')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List a thread''s checkpoints, newest first (--graph: as a tree)')
            [CompletionResult]::new('fork', 'fork', [CompletionResultType]::ParameterValue, 'Branch from a checkpoint with a new state or a JSON merge patch')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed in the state between two checkpoints')
            [CompletionResult]::new('threads', 'threads', [CompletionResultType]::ParameterValue, 'List threads with checkpoint count, latest step and last write')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Session event log: append, tail, archive')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Namespaced memory store: get, put, ls, rm, namespaces, evict')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete one thread: its checkpoints, session events and watermark')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy threads (checkpoints, events, watermark) and store items from one store to another')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every record and session log; exit 5 listing each problem')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the selection as a dump (JSON Lines) to stdout or --file')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a dump from stdin or --file into the store')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure each operation through the library beside its raw floor')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Hold, inspect and break session locks (the services'' own lock)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Envelope versions and schema: status, schema, run --to N, check')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;put' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The new state: JSON literal, @FILE, or - for stdin')
            [CompletionResult]::new('--next-node', '--next-node', [CompletionResultType]::ParameterName, 'Node to run next [default: the parent''s]')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'Extra metadata (a JSON object; needs a store writing envelope version 2)')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Parent checkpoint [default: the thread''s latest]')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Step number [default: the parent''s step + 1, 0 without a parent]')
            [CompletionResult]::new('--if-latest', '--if-latest', [CompletionResultType]::ParameterName, 'Write only if ID is still the thread''s latest checkpoint')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--finished', '--finished', [CompletionResultType]::ParameterName, 'Record that the graph finished (next_node null)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;latest' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--state-only', '--state-only', [CompletionResultType]::ParameterName, 'Print only the state, as compact JSON on one line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;show' {
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'The checkpoint at step N instead of an id (the newest one when forks made several)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--state-only', '--state-only', [CompletionResultType]::ParameterName, 'Print only the state, as compact JSON on one line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;history' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N checkpoints')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Start after checkpoint ID (newest-first order), for paging')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only checkpoints written at or after TIME (RFC 3339, or a duration ago such as 2h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only checkpoints written at or before TIME (RFC 3339, or a duration ago such as 30m)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--graph', '--graph', [CompletionResultType]::ParameterName, 'Draw parent links as a tree (oldest first); forks show as branches')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;fork' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The parent checkpoint to branch from')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The new state: JSON literal, @FILE, or - for stdin')
            [CompletionResult]::new('--patch', '--patch', [CompletionResultType]::ParameterName, 'A JSON merge patch (RFC 7386) applied to the parent''s state')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'Extra metadata (a JSON object; needs envelope version 2)')
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'Copy the history up to ID into this new thread and fork there')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;diff' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 6 when the states differ')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;threads' {
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants whose id matches this glob (implies --all-tenants)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the rows')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N threads (the first N in --sort order)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List every tenant''s threads instead of only --tenant''s')
            [CompletionResult]::new('--all-tenants', '--all-tenants', [CompletionResultType]::ParameterName, 'List every tenant''s threads instead of only --tenant''s')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;events' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('append', 'append', [CompletionResultType]::ParameterValue, 'Append an event, or a JSON array of events as one atomic batch')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print events after a cursor, oldest first; --follow waits for more')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive (drop) the events before an ordinal')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;events;append' {
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event: JSON literal, @FILE, or - for stdin; an array appends each element (wrap a single array event in another array)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;events;tail' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Cursor: print only events with a greater ordinal')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Start with the last N events of the log (then, with --follow, the new ones)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N events (without --follow)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll interval for --follow (e.g. 500ms, 2s)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep polling for new events until interrupted (table or jsonl output), reconnecting with backoff when the store is lost')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep polling for new events until interrupted (table or jsonl output), reconnecting with backoff when the store is lost')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;events;archive' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Archive every event with an ordinal below N')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;events;help' {
            [CompletionResult]::new('append', 'append', [CompletionResultType]::ParameterValue, 'Append an event, or a JSON array of events as one atomic batch')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print events after a cursor, oldest first; --follow waits for more')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive (drop) the events before an ordinal')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;events;help;append' {
            break
        }
        'threadctl;events;help;tail' {
            break
        }
        'threadctl;events;help;archive' {
            break
        }
        'threadctl;events;help;help' {
            break
        }
        'threadctl;store' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one item')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Write (or overwrite) one item, optionally expiring after --ttl')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the keys of one namespace, with when each item expires')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete one item')
            [CompletionResult]::new('namespaces', 'namespaces', [CompletionResultType]::ParameterValue, 'List namespaces holding live items, at or below a prefix')
            [CompletionResult]::new('evict', 'evict', [CompletionResultType]::ParameterValue, 'Delete the tenant''s expired items and print how many went')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;store;get' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--value-only', '--value-only', [CompletionResultType]::ParameterName, 'Print only the value, as compact JSON on one line')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;put' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Expire the item after this long (e.g. 30s, 5m, 1h)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;ls' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only keys starting with this literal prefix')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;rm' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;namespaces' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;evict' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;store;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one item')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Write (or overwrite) one item, optionally expiring after --ttl')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the keys of one namespace, with when each item expires')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete one item')
            [CompletionResult]::new('namespaces', 'namespaces', [CompletionResultType]::ParameterValue, 'List namespaces holding live items, at or below a prefix')
            [CompletionResult]::new('evict', 'evict', [CompletionResultType]::ParameterValue, 'Delete the tenant''s expired items and print how many went')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;store;help;get' {
            break
        }
        'threadctl;store;help;put' {
            break
        }
        'threadctl;store;help;ls' {
            break
        }
        'threadctl;store;help;rm' {
            break
        }
        'threadctl;store;help;namespaces' {
            break
        }
        'threadctl;store;help;evict' {
            break
        }
        'threadctl;store;help;help' {
            break
        }
        'threadctl;rm' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to DURATION for the thread''s session lock instead of exiting 4 at once when a service holds it')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;copy' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Store to copy from [default: the --url store]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Store to copy to (its schema is set up when it is new)')
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob [default: every tenant]')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--ambiguous', '--ambiguous', [CompletionResultType]::ParameterName, 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'What to do with a record the target holds differently (an identical one is always skipped)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records written per atomic batch (copy also reads this many per round trip)')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'With --lock: how long to wait for a thread''s lock before skipping it (exit 4)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads copied in parallel')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N records read per second')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-events', '--no-events', [CompletionResultType]::ParameterName, 'Leave session events and watermarks out')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Leave store items out')
            [CompletionResult]::new('--allow-lossy', '--allow-lossy', [CompletionResultType]::ParameterName, 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read everything and count it; write nothing (the target must exist)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Afterwards compare source and target record by record (exit 6 listing differences)')
            [CompletionResult]::new('--move', '--move', [CompletionResultType]::ParameterName, 'Delete each thread from the source once it compared identical (asks on a terminal)')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'Hold each thread''s session lock on the source while copying it')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;verify' {
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob [default: every tenant]')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Instead, compare this store with the one at URL record by record (exit 6 listing differences)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Records and events read per round trip')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-events', '--no-events', [CompletionResultType]::ParameterName, 'With --against: leave session events and watermarks out')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'With --against: leave store items out')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;export' {
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob [default: every tenant]')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--ambiguous', '--ambiguous', [CompletionResultType]::ParameterName, 'Redis records whose key reads in more than one way: the preferred reading (a log goes with the thread that has checkpoints, an item with the namespace that holds other items, else the fewest segments), or every reading')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Write the dump to FILE (created or truncated) instead of stdout')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Records read per round trip')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-events', '--no-events', [CompletionResultType]::ParameterName, 'Leave session events and watermarks out')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Leave store items out')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;import' {
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob [default: every tenant]')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only threads last written before this time (RFC 3339, or a duration ago: 7d)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'What to do with a record the target holds differently (an identical one is always skipped)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records written per atomic batch (copy also reads this many per round trip)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the dump from FILE instead of stdin')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Refuse lines longer than this many bytes (a damaged or hostile stream)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-events', '--no-events', [CompletionResultType]::ParameterName, 'Leave session events and watermarks out')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Leave store items out')
            [CompletionResult]::new('--allow-lossy', '--allow-lossy', [CompletionResultType]::ParameterName, 'Write what the target cannot hold exactly: drop metadata bound for a version-1 target, truncate nanosecond timestamps bound for Postgres')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read everything and count it; write nothing (the target must exist)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;prune' {
            [CompletionResult]::new('--keep-last', '--keep-last', [CompletionResultType]::ParameterName, 'Per thread, keep the latest checkpoint and every branch head, each with its N-1 nearest ancestors; delete the rest')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete whole threads (checkpoints, events, watermark) whose newest checkpoint is older than DURATION, e.g. 30d')
            [CompletionResult]::new('--events-keep-last', '--events-keep-last', [CompletionResultType]::ParameterName, 'Archive each session log down to its last N events')
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob [default: every tenant]')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Never touch threads matching this glob')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Checkpoints read, and deleted, per round trip')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would go (threads, checkpoints, events, bytes); change nothing')
            [CompletionResult]::new('--vacuum', '--vacuum', [CompletionResultType]::ParameterName, 'Reclaim the space afterwards (Postgres VACUUM of the tables pruned, SQLite VACUUM; nothing to do on Redis) and print the size before and after')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;doctor' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;bench' {
            [CompletionResult]::new('--ops', '--ops', [CompletionResultType]::ParameterName, 'Measured calls per operation and side, over all clients (`threads`: one listing per 1,000, at least one)')
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'Concurrent clients')
            [CompletionResult]::new('--state-bytes', '--state-bytes', [CompletionResultType]::ParameterName, 'Size of each checkpoint''s state and store value, in bytes')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads in the listing that `threads` reads')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only these operations (comma-separated): put, latest, show, history, fork, store-put, store-get, append, load, lock, threads')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;completions' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;lock;run' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for a busy lock before giving up (exit 4)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Fail at once (exit 4) if the lock is busy')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;acquire' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last heartbeat')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for a busy lock before giving up (exit 4)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Fail at once (exit 4) if the lock is busy')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;release' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The token `lock acquire` printed')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;status' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;ls' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;break' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;lock;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;lock;help;run' {
            break
        }
        'threadctl;lock;help;acquire' {
            break
        }
        'threadctl;lock;help;release' {
            break
        }
        'threadctl;lock;help;status' {
            break
        }
        'threadctl;lock;help;ls' {
            break
        }
        'threadctl;lock;help;break' {
            break
        }
        'threadctl;lock;help;help' {
            break
        }
        'threadctl;migrate' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Tables, policies and recorded migrations; write version; records per version')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Rewrite every selected record at envelope version N, in atomic batches')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;migrate;status' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;migrate;schema' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;migrate;run' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The envelope version to rewrite records at (1 or 2)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per atomic batch')
            [CompletionResult]::new('--tenants', '--tenants', [CompletionResultType]::ParameterName, 'Only tenants matching this glob')
            [CompletionResult]::new('--thread', '--thread', [CompletionResultType]::ParameterName, 'Only threads matching this glob')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to DURATION for another run to finish instead of exiting 4')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be rewritten; write nothing')
            [CompletionResult]::new('--allow-lossy', '--allow-lossy', [CompletionResultType]::ParameterName, 'Let a downgrade to 1 drop records'' non-empty metadata')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;migrate;check' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Store URL: postgres://…, redis://…, sqlite://PATH [default: the embedded SQLite store in the user''s data directory]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant whose data commands address')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the certificate authority that signed the server''s certificate, for servers with a private CA (rediss://, Postgres with TLS; without sslmode in the URL, Postgres then uses verify-full) [default: the system''s trusted roots]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Longest time to establish a connection to the server, e.g. 10s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Longest wait for the server''s answer to one operation, e.g. 2m (a wait for a session lock comes on top)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors (no notes or warnings)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (-v info, -vv debug, -vvv trace)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm destructive actions without asking (required when not on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'threadctl;migrate;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Tables, policies and recorded migrations; write version; records per version')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Rewrite every selected record at envelope version N, in atomic batches')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;migrate;help;status' {
            break
        }
        'threadctl;migrate;help;schema' {
            break
        }
        'threadctl;migrate;help;run' {
            break
        }
        'threadctl;migrate;help;check' {
            break
        }
        'threadctl;migrate;help;help' {
            break
        }
        'threadctl;help' {
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id')
            [CompletionResult]::new('latest', 'latest', [CompletionResultType]::ParameterValue, 'Print the newest checkpoint of a thread')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one checkpoint by id')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List a thread''s checkpoints, newest first (--graph: as a tree)')
            [CompletionResult]::new('fork', 'fork', [CompletionResultType]::ParameterValue, 'Branch from a checkpoint with a new state or a JSON merge patch')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed in the state between two checkpoints')
            [CompletionResult]::new('threads', 'threads', [CompletionResultType]::ParameterValue, 'List threads with checkpoint count, latest step and last write')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Session event log: append, tail, archive')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Namespaced memory store: get, put, ls, rm, namespaces, evict')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete one thread: its checkpoints, session events and watermark')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy threads (checkpoints, events, watermark) and store items from one store to another')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every record and session log; exit 5 listing each problem')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the selection as a dump (JSON Lines) to stdout or --file')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a dump from stdin or --file into the store')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old checkpoints (--keep-last N) and idle threads (--older-than)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure each operation through the library beside its raw floor')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Hold, inspect and break session locks (the services'' own lock)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Envelope versions and schema: status, schema, run --to N, check')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'threadctl;help;put' {
            break
        }
        'threadctl;help;latest' {
            break
        }
        'threadctl;help;show' {
            break
        }
        'threadctl;help;history' {
            break
        }
        'threadctl;help;fork' {
            break
        }
        'threadctl;help;diff' {
            break
        }
        'threadctl;help;threads' {
            break
        }
        'threadctl;help;events' {
            [CompletionResult]::new('append', 'append', [CompletionResultType]::ParameterValue, 'Append an event, or a JSON array of events as one atomic batch')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print events after a cursor, oldest first; --follow waits for more')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Archive (drop) the events before an ordinal')
            break
        }
        'threadctl;help;events;append' {
            break
        }
        'threadctl;help;events;tail' {
            break
        }
        'threadctl;help;events;archive' {
            break
        }
        'threadctl;help;store' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one item')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Write (or overwrite) one item, optionally expiring after --ttl')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the keys of one namespace, with when each item expires')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete one item')
            [CompletionResult]::new('namespaces', 'namespaces', [CompletionResultType]::ParameterValue, 'List namespaces holding live items, at or below a prefix')
            [CompletionResult]::new('evict', 'evict', [CompletionResultType]::ParameterValue, 'Delete the tenant''s expired items and print how many went')
            break
        }
        'threadctl;help;store;get' {
            break
        }
        'threadctl;help;store;put' {
            break
        }
        'threadctl;help;store;ls' {
            break
        }
        'threadctl;help;store;rm' {
            break
        }
        'threadctl;help;store;namespaces' {
            break
        }
        'threadctl;help;store;evict' {
            break
        }
        'threadctl;help;rm' {
            break
        }
        'threadctl;help;copy' {
            break
        }
        'threadctl;help;verify' {
            break
        }
        'threadctl;help;export' {
            break
        }
        'threadctl;help;import' {
            break
        }
        'threadctl;help;prune' {
            break
        }
        'threadctl;help;doctor' {
            break
        }
        'threadctl;help;bench' {
            break
        }
        'threadctl;help;completions' {
            break
        }
        'threadctl;help;lock' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Hold THREAD''s lock while CMD runs, extending it on a heartbeat (every TTL/3), then release it and exit with CMD''s status')
            [CompletionResult]::new('acquire', 'acquire', [CompletionResultType]::ParameterValue, 'Take THREAD''s lock and print its token (for scripts that release it later with `lock release`). The lock lasts until released or until its TTL passes. On Postgres a detached holder process keeps it. With -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release THREAD''s lock taken by `lock acquire`, if TOKEN still holds it; exit 3 (not held by this token) otherwise: the lock was released, expired or broken, or TOKEN is not its holder''s (a wrong token, or another thread''s). With -o json/jsonl: {thread_id, tenant_id, key, released}')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether THREAD''s lock is held, and what the backend tells about it: remaining TTL (Redis, SQLite), holder pid and client address (Postgres), a fingerprint of the holder''s token (Redis; never the token itself)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Every session lock currently held that the backend can enumerate, with its tenant and thread where the store knows the thread (its lock key is derived from each known thread''s ids), else "(unknown)"')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Force-release THREAD''s lock (Postgres: a `lock acquire` holder process of this user on this machine lets go and exits, any other holding backend is terminated). Asks on a terminal; needs --yes otherwise. With -o json/jsonl: {thread_id, tenant_id, key, released}, released false when the lock was not held')
            break
        }
        'threadctl;help;lock;run' {
            break
        }
        'threadctl;help;lock;acquire' {
            break
        }
        'threadctl;help;lock;release' {
            break
        }
        'threadctl;help;lock;status' {
            break
        }
        'threadctl;help;lock;ls' {
            break
        }
        'threadctl;help;lock;break' {
            break
        }
        'threadctl;help;migrate' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Tables, policies and recorded migrations; write version; records per version')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema (Postgres, SQLite): idempotent and additive')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Rewrite every selected record at envelope version N, in atomic batches')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Exit 0 when the schema is complete and every record is at the write version, 6 otherwise, with a one-line summary (for CI)')
            break
        }
        'threadctl;help;migrate;status' {
            break
        }
        'threadctl;help;migrate;schema' {
            break
        }
        'threadctl;help;migrate;run' {
            break
        }
        'threadctl;help;migrate;check' {
            break
        }
        'threadctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
