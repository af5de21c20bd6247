import Foundation
import LiaisonCore
import Logging
import Testing

@testable import LiaisonDaemon

/// The test-only clock file (`LIAISON_CLOCK_FILE`): its format, re-reading, and that it never
/// replaces an injected clock or goes unnoticed.
@Suite("Clock file")
struct ClockInjectionTests {
    @Test("An offset in seconds or an ISO 8601 instant; anything else refused")
    func parsing() throws {
        let real = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(ClockInjection.Setting("3600\n")?.now(real: real) == real + 3600)
        #expect(ClockInjection.Setting(" -259200.5 ")?.now(real: real) == real - 259_200.5)
        #expect(ClockInjection.Setting("+60")?.now(real: real) == real + 60)
        let instant = try #require(ClockInjection.Setting("2027-01-03T23:30:00Z"))
        #expect(instant.now(real: real) == Date(timeIntervalSince1970: 1_799_019_000))
        for bad in ["", "soon", "1h", "nan", "inf", "2027-13-03T23:30:00Z"] {
            #expect(ClockInjection.Setting(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test("The file is re-read on every call; a half-written file keeps the last good value")
    func rereads() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("2027-01-03T23:30:00Z".utf8).write(to: URL(fileURLWithPath: path))
        let clock = try ClockInjection.FileClock(path: path)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_799_019_000))
        try Data("2027-01-07T08:30:00Z".utf8).write(to: URL(fileURLWithPath: path))
        #expect(clock.now() == Date(timeIntervalSince1970: 1_799_310_600), "a jump of +3 days 9 hours, seen at once")
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        #expect(clock.now() == Date(timeIntervalSince1970: 1_799_310_600))
        try Data("-3600".utf8).write(to: URL(fileURLWithPath: path))
        let shifted = clock.now().timeIntervalSince(Date())
        #expect(shifted > -3610 && shifted < -3590)
    }

    @Test("Unset: the system clock; set: checked at start, warned about; an injected test clock is never replaced")
    func wiring() throws {
        let logger = Logger(label: "clock-test")
        #expect(try ClockInjection.clock(replacing: SystemClock(), environment: [:], logger: logger) is SystemClock)
        let fixed = FixedClock(Date(timeIntervalSince1970: 0))
        let kept = try ClockInjection.clock(replacing: fixed, environment: ["LIAISON_CLOCK_FILE": "/nonexistent"], logger: logger)
        #expect(kept as? FixedClock === fixed)
        #expect(throws: ClockInjection.Invalid.self) {
            try ClockInjection.clock(replacing: SystemClock(), environment: ["LIAISON_CLOCK_FILE": "/nonexistent/clock"], logger: logger)
        }
        let error = ClockInjection.Invalid(path: "/x", reason: "the file cannot be read")
        #expect(error.description.hasPrefix("LIAISON_CLOCK_FILE=/x: the file cannot be read"))
    }
}
