import Testing

@testable import MIME

@Suite("Addresses and dates")
struct AddressAndDateTests {
    @Test(
        "Address lists",
        arguments: [
            ("a@example.com", [MailAddress(address: "a@example.com")]),
            ("John Doe <jdoe@example.com>", [MailAddress(address: "jdoe@example.com", displayName: "John Doe")]),
            (
                "\"Doe, John\" <jdoe@example.com>, b@x.org",
                [MailAddress(address: "jdoe@example.com", displayName: "Doe, John"), MailAddress(address: "b@x.org")]
            ),
            (
                "\"Joe Q. Public\" <john.q.public@example.com>",
                [MailAddress(address: "john.q.public@example.com", displayName: "Joe Q. Public")]
            ),
            (
                "Joe Q. Public <john.q.public@example.com>",
                [MailAddress(address: "john.q.public@example.com", displayName: "Joe Q. Public")]
            ),
            ("undisclosed-recipients:;", []),
            (
                "Team: a@x.org, Bob <b@y.org>;, c@z.org",
                [
                    MailAddress(address: "a@x.org"), MailAddress(address: "b@y.org", displayName: "Bob"),
                    MailAddress(address: "c@z.org"),
                ]
            ),
            (
                "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
                [
                    MailAddress(address: "c@a.test", displayName: "Ed Jones"), MailAddress(address: "joe@where.test"),
                    MailAddress(address: "jdoe@one.test", displayName: "John"),
                ]
            ),
            // RFC 5322 A.5: comments everywhere.
            (
                "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
                [MailAddress(address: "pete@silly.test", displayName: "Pete")]
            ),
            ("<@relay1.example,@relay2.example:joe@example.com>", [MailAddress(address: "joe@example.com")]),  // obs-route
            ("joe@example.com (Joe Bloggs)", [MailAddress(address: "joe@example.com", displayName: "Joe Bloggs")]),
            ("\"quoted local\"@example.com", [MailAddress(address: "\"quoted local\"@example.com")]),
            ("jdoe@machine(comment).  example", [MailAddress(address: "jdoe@machine.example")]),
            ("x@[192.0.2.1]", [MailAddress(address: "x@[192.0.2.1]")]),
            ("root", [MailAddress(address: "root")]),
            ("Big Bug bb@bug.com", [MailAddress(address: "bb@bug.com", displayName: "Big Bug")]),
            (",,a@b.c,,", [MailAddress(address: "a@b.c")]),
            ("", []),
        ])
    func parseList(text: String, expected: [MailAddress]) {
        #expect(MailAddress.parseList(text) == expected)
    }

    @Test("Unparseable pieces are skipped and reported")
    func unparseable() {
        #expect(MailAddress.parseList("Just A Name, ok@x.org, <>") == [MailAddress(address: "ok@x.org")])
        let m = MIMEMessage(bytes: TestSupport.crlf("To: Just A Name, ok@x.org\n\n"))
        #expect(m.to == [MailAddress(address: "ok@x.org")])
        #expect(m.defects.contains(.unparseableAddress("Just A Name")))
    }

    @Test("Hostile nesting in address lists stays linear")
    func hostileAddressList() {
        let text = String(repeating: "(", count: 50_000) + "a@b.c" + String(repeating: "<", count: 50_000)
        _ = MailAddress.parseList(text)
        let many = (0..<5000).map { "u\($0)@example.com" }.joined(separator: ", ")
        #expect(MailAddress.parseList(many).count == 5000)
    }

    @Test("MailAddress parts and description")
    func addressParts() {
        let a = MailAddress(address: "first.last@sub.example.org", displayName: "First Last")
        #expect(a.localPart == "first.last")
        #expect(a.domain == "sub.example.org")
        #expect(a.description == "First Last <first.last@sub.example.org>")
        #expect(MailAddress(address: "root").domain == nil)
        #expect(MailAddress(address: "root").description == "root")
    }

    @Test(
        "Dates, current and obsolete forms",
        arguments: [
            (
                "Fri, 21 Nov 1997 09:55:06 -0600",
                MIMEDateTime(year: 1997, month: 11, day: 21, hour: 9, minute: 55, second: 6, offsetMinutes: -360),
                Int64(880_127_706)
            ),
            (
                "21 Nov 1997 09:55:06 -0600",
                MIMEDateTime(year: 1997, month: 11, day: 21, hour: 9, minute: 55, second: 6, offsetMinutes: -360),
                Int64(880_127_706)
            ),
            (
                "Fri, 21 Nov 97 09:55:06 GMT",
                MIMEDateTime(year: 1997, month: 11, day: 21, hour: 9, minute: 55, second: 6, offsetMinutes: 0),
                Int64(880_106_106)
            ),
            (
                "Thu, 13 Feb 69 23:32 -0330",
                MIMEDateTime(year: 1969, month: 2, day: 13, hour: 23, minute: 32, second: 0, offsetMinutes: -210),
                Int64(-27_723_480)
            ),  // RFC 5322: 50-99 → 19xx
            (
                "Sat, 13 Feb 21 23:32 -0330",
                MIMEDateTime(year: 2021, month: 2, day: 13, hour: 23, minute: 32, second: 0, offsetMinutes: -210),
                Int64(1_613_271_720)
            ),
            (
                "13 Feb 121 23:32 -0330",
                MIMEDateTime(year: 2021, month: 2, day: 13, hour: 23, minute: 32, second: 0, offsetMinutes: -210),
                Int64(1_613_271_720)
            ),
            (
                "Tue, 1 Jul 2003 10:52:37 +0200",
                MIMEDateTime(year: 2003, month: 7, day: 1, hour: 10, minute: 52, second: 37, offsetMinutes: 120),
                Int64(1_057_049_557)
            ),
            (
                "1 Jul 2003 10:52 EST",
                MIMEDateTime(year: 2003, month: 7, day: 1, hour: 10, minute: 52, second: 0, offsetMinutes: -300),
                Int64(1_057_074_720)
            ),
            (
                "Mon, 03 Jan 2000 00:00:00 UT",
                MIMEDateTime(year: 2000, month: 1, day: 3, hour: 0, minute: 0, second: 0, offsetMinutes: 0),
                Int64(946_857_600)
            ),
            (
                "Mon, 03 Jan 2000 00:00:00 Z",
                MIMEDateTime(year: 2000, month: 1, day: 3, hour: 0, minute: 0, second: 0, offsetMinutes: 0),
                Int64(946_857_600)
            ),
            (
                "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600",
                MIMEDateTime(year: 1997, month: 11, day: 21, hour: 9, minute: 55, second: 6, offsetMinutes: -360),
                Int64(880_127_706)
            ),
            (
                "Wed, 20 Sep 1995 00:19:00 (EDT) -0400",
                MIMEDateTime(year: 1995, month: 9, day: 20, hour: 0, minute: 19, second: 0, offsetMinutes: -240),
                Int64(811_570_740)
            ),
            (
                "Mon Jan  1 12:30:00 2001",
                MIMEDateTime(year: 2001, month: 1, day: 1, hour: 12, minute: 30, second: 0, offsetMinutes: 0),
                Int64(978_352_200)
            ),
            (
                "29 Feb 2024 23:59:60 +0000",
                MIMEDateTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 60, offsetMinutes: 0),
                Int64(1_709_251_200)
            ),
        ])
    func dates(text: String, expected: MIMEDateTime, epoch: Int64) {
        let parsed = MIMEDateTime(parsing: text)
        #expect(parsed == expected)
        #expect(parsed?.secondsSince1970 == epoch)
    }

    @Test(
        "Unparseable dates give nil",
        arguments: [
            "", "Malformed Date.", "32 Jan 2000 10:00:00", "1 Foo 2000 10:00", "30 Feb 2001 10:00:00 +0000",
            "1 Jan 2000", "1 Jan 2000 25:00:00",
        ])
    func badDates(text: String) {
        #expect(MIMEDateTime(parsing: text) == nil)
    }

    @Test("A message's Date; an unparseable one is a defect")
    func messageDate() {
        let m = MIMEMessage(bytes: TestSupport.crlf("Date: Tue, 1 Jul 2003 10:52:37 +0200\n\n"))
        #expect(m.date?.secondsSince1970 == 1_057_049_557)
        let bad = MIMEMessage(bytes: TestSupport.crlf("Date: someday\n\n"))
        #expect(bad.date == nil)
        #expect(bad.defects.contains(.invalidDate("someday")))
    }

    @Test(
        "Formatting dates",
        arguments: [
            (Int64(0), 0, "Thu, 01 Jan 1970 00:00:00 +0000"),
            (Int64(1_057_049_557), 120, "Tue, 01 Jul 2003 10:52:37 +0200"),
            (Int64(880_127_706), -360, "Fri, 21 Nov 1997 09:55:06 -0600"),
            (Int64(1_709_251_199), 0, "Thu, 29 Feb 2024 23:59:59 +0000"),
            (Int64(-1), 0, "Wed, 31 Dec 1969 23:59:59 +0000"),
            (Int64(1_700_000_000), 330, "Wed, 15 Nov 2023 03:43:20 +0530"),
        ])
    func formatting(seconds: Int64, offset: Int, expected: String) {
        let text = MIMEDate.format(secondsSince1970: seconds, offsetMinutes: offset)
        #expect(text == expected)
        #expect(MIMEDateTime(parsing: text)?.secondsSince1970 == seconds)
    }

    @Test("Extreme values never trap")
    func extremes() {
        _ = MIMEDate.format(secondsSince1970: .max, offsetMinutes: .max)
        _ = MIMEDate.format(secondsSince1970: .min, offsetMinutes: .min)
        let absurd = MIMEDateTime(
            year: .max, month: .min, day: .max, hour: .max, minute: .min, second: .max, offsetMinutes: .max)
        _ = absurd.secondsSince1970
        _ = absurd.description
        #expect(MIMEDateTime(parsing: "1 Jan 99999999999999999999 10:00") == nil)
    }
}
