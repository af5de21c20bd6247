/// Benchmark driver for the MIME module, speaking the protocol of
/// `../shared/bench/README.md` (like the competitors' drivers in
/// `../shared/bench/drivers/`).
///
/// Usage: mime-bench LISTFILE [PASSES]
///   LISTFILE: one message path per line. For each file in turn, PASSES times
///   (default 1), the file is read into a `[UInt8]` (untimed: open/read from
///   Glibc, no Foundation), then parsing and the full walk are timed:
///     - `MIMEMessage(bytes:)` with the default limits;
///     - for every message (the top one and every embedded message/rfc822 or
///       message/global): `subject` (unfolded, RFC 2047-decoded), the
///       `from`, `to`, `cc`, `bcc` and `replyTo` address lists (display names
///       decoded), and `date` (parsed);
///     - for every part in `allParts` (document order, embedded messages
///       included): every header field's `name` and `decodedValue`
///       (unfolded, 8-bit text as UTF-8 / Latin-1, RFC 2047-decoded), every
///       Content-Type parameter value, and the Content-Disposition
///       (`disposition`, `filename`: parameters parsed, RFC 2231/2047 decoded);
///     - for every leaf part (neither multipart nor an embedded message):
///       text/* parts through `text()` (transfer-decoded, converted from their
///       charset to a UTF-8 `String`, CRLF turned into LF), every other part
///       through `decodedBody()` (transfer-decoded bytes).
///   The message and everything computed from it are released before the
///   next file. `parse_s`: wall seconds (CLOCK_MONOTONIC), `parse_cpu_s`:
///   process CPU seconds (CLOCK_PROCESS_CPUTIME_ID) of the timed sections.
///   The parser never rejects a message, so `failures` counts nothing but
///   unreadable files. `touched` sums the sizes of everything produced, so
///   no work can be optimised away. `vm_hwm_kb` is VmHWM from /proc/self/status.
///   Prints one JSON line on stdout. The list file is read a path at a time,
///   again for each pass (untimed). `MIME_BENCH_TRACE=1` prints a hash of
///   everything produced per file; `MIME_BENCH_SMAPS=path` writes
///   /proc/self/smaps there at the end (after VmHWM is read).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import MIME

var stats = WalkStats()
var messages = 0
var bytes = 0
var failures = 0
var parseSeconds = 0.0
var cpuSeconds = 0.0

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    printError("usage: mime-bench LISTFILE [PASSES]")
    exit(2)
}
let passes = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
// The list is read again for every pass, a path at a time (see ListReader).
let listPath = arguments[1]
guard let probe = ListReader(listPath: listPath) else {
    printError("cannot read \(listPath)")
    exit(1)
}
probe.close()
let verbose = getenv("ANCHOR_VERBOSE") != nil
stats.tracing = getenv("MIME_BENCH_TRACE") != nil

for _ in 0..<passes {
    guard var list = ListReader(listPath: listPath) else {
        printError("cannot read \(listPath)")
        exit(1)
    }
    defer { list.close() }
    while list.next() {
        let data = list.path.withUnsafeBufferPointer { buf in
            buf.baseAddress.flatMap { readWholeFile(path: $0) }
        }
        guard let data else {
            failures += 1
            if verbose { printError("FAIL \(list.pathString)") }
            continue
        }
        let c0 = clockSeconds(CLOCK_PROCESS_CPUTIME_ID)
        let t0 = clockSeconds(CLOCK_MONOTONIC)
        do {
            let message = MIMEMessage(bytes: data)
            walk(message, into: &stats)
        }
        parseSeconds += clockSeconds(CLOCK_MONOTONIC) - t0
        cpuSeconds += clockSeconds(CLOCK_PROCESS_CPUTIME_ID) - c0
        messages += 1
        bytes += data.count
        if stats.tracing {
            printLine("\(String(stats.hash, radix: 16)) \(list.pathString)")
            stats.hash = 0xcbf2_9ce4_8422_2325
        }
    }
}

printLine(
    "{\"parser\":\"Liaison MIME (Swift)\",\"messages\":\(messages),\"bytes\":\(bytes),"
        + "\"parse_s\":\(parseSeconds),\"parse_cpu_s\":\(cpuSeconds),\"failures\":\(failures),"
        + "\"parts\":\(stats.parts),\"headers\":\(stats.headers),\"touched\":\(stats.touched),"
        + "\"vm_hwm_kb\":\(peakRSSKilobytes())}")
if let smapsPath = getenv("MIME_BENCH_SMAPS") {
    dumpMemoryMaps(to: String(cString: smapsPath))
}
