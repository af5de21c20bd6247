#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import MIME

/// Counters of the full walk (see the header comment of main.swift).
struct WalkStats {
    var parts = 0
    var headers = 0
    var touched = 0
    /// With `MIME_BENCH_TRACE` set: an FNV-1a hash of every value produced,
    /// printed per file, to check that an optimisation changed no output.
    var tracing = false
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ s: String?) {
        guard let s else { return }
        touched += s.utf8.count
        if tracing { mix(s.utf8) }
    }

    mutating func add(_ bytes: [UInt8]) {
        touched += bytes.count
        if tracing { mix(bytes) }
    }

    mutating func add(count: Int) {
        touched += count
        if tracing { mix(CollectionOfOne(UInt8(truncatingIfNeeded: count))) }
    }

    mutating func mix(_ bytes: some Sequence<UInt8>) {
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0xFF) &* 0x100_0000_01b3
    }
}

/// Touches everything a reader of the message could ask for.
func walk(_ message: MIMEMessage, into stats: inout WalkStats) {
    if stats.tracing {
        // Not part of the benchmark's work: defects cost a second full decode.
        for d in message.defects { stats.add(d.description) }
        for part in message.allParts {
            stats.add(part.transferEncoding)
            stats.add(part.contentID)
            stats.add(count: part.isAttachment ? 1 : 0)
        }
        stats.add(message.messageID)
        stats.add(message.textBody())
    }
    touchMessageFields(message, into: &stats)
    for part in message.allParts {
        stats.parts += 1
        for field in part.header.fields {
            stats.headers += 1
            stats.add(field.name)
            stats.add(field.decodedValue)
        }
        let type = part.contentType
        stats.add(type.type)
        stats.add(type.subtype)
        // Sorted only when tracing: dictionary order is not stable between runs.
        if stats.tracing {
            for key in type.parameters.keys.sorted() { stats.add(key + "=" + (type.parameters[key] ?? "")) }
        } else {
            for (_, value) in type.parameters { stats.add(value) }
        }
        stats.add(part.disposition)
        stats.add(part.filename)
        if let embedded = part.embeddedMessage {
            touchMessageFields(embedded, into: &stats)
        } else if !part.isMultipart {
            if type.type == "text" {
                stats.add(part.text())
            } else {
                stats.add(part.decodedBody())
            }
        }
    }
}

/// The message-level accessors: subject, address lists, date.
func touchMessageFields(_ message: MIMEMessage, into stats: inout WalkStats) {
    stats.add(message.subject)
    for list in [message.from, message.to, message.cc, message.bcc, message.replyTo] {
        stats.add(count: list.count)
        if stats.tracing {
            for a in list { stats.add((a.displayName ?? "") + " <" + a.address + ">") }
        }
    }
    if let date = message.date {
        stats.add(count: 1)
        if stats.tracing { stats.add(date.description) }
    }
}

/// The whole file at a C path, or nil when it cannot be read.
func readWholeFile(path: UnsafePointer<CChar>) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    let size = Int(st.st_size)
    var ok = true
    // Read straight into uninitialised storage (no zero-fill first, as the C drivers do).
    let result = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
        count = 0
        guard let base = buf.baseAddress else { return }
        var filled = 0
        while filled < size {
            let n = read(fd, base + filled, size - filled)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                ok = false
                break
            }
            filled += n
        }
        count = filled
    }
    return ok ? result : nil
}

/// A line on standard error.
func printError(_ line: String) { writeLine(line, to: 2) }

/// A line on standard output. (`print` is avoided: its dynamic casts make the
/// runtime scan every protocol conformance record, which alone maps a megabyte
/// of the binary and shows in the peak RSS.)
func printLine(_ line: String) { writeLine(line, to: 1) }

func writeLine(_ line: String, to fd: Int32) {
    let text = Array((line + "\n").utf8)
    text.withUnsafeBytes { buf in
        guard let base = buf.baseAddress else { return }
        var done = 0
        while done < buf.count {
            let n = write(fd, base + done, buf.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

func clockSeconds(_ clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// VmHWM (peak resident set) in KiB, from /proc/self/status.
func peakRSSKilobytes() -> Int {
    guard let status = readProcFile("/proc/self/status") else { return 0 }
    for line in status.split(separator: 10) where line.starts(with: "VmHWM:".utf8) {
        let digits = line.filter { $0 >= 48 && $0 <= 57 }
        return Int(String(decoding: digits, as: UTF8.self)) ?? 0
    }
    return 0
}

/// A /proc file (its size is reported as 0, so read until EOF).
func readProcFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

/// Copies /proc/self/smaps (every mapping's resident and dirty sizes) to `path`, for finding where the peak RSS goes
/// (`MIME_BENCH_SMAPS=path`; read after the VmHWM figure is taken).
func dumpMemoryMaps(to path: String) {
    guard let maps = readProcFile("/proc/self/smaps") else { return }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    maps.withUnsafeBytes { buf in
        var done = 0
        while done < buf.count, let base = buf.baseAddress {
            let n = write(fd, base + done, buf.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}
