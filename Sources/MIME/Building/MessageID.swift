/// Generation of Message-ID values.
public enum MessageID {
    static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// A fresh id `random@domain` (without angle brackets), with 130 bits of
    /// randomness drawn from `random`.
    public static func generate<R: RandomNumberGenerator>(domain: String, random: inout R) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<17 { bytes.append(UInt8.random(in: 0...255, using: &random)) }
        return generate(domain: domain, randomBytes: bytes)
    }

    /// An id `encoded-bytes@domain` from caller-supplied random bytes (16 or
    /// more recommended), base32-encoded.
    public static func generate(domain: String, randomBytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for b in randomBytes {
            acc = acc << 8 | UInt32(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int(acc >> UInt32(bits) & 31)])
            }
            acc &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 { out.append(alphabet[Int(acc << UInt32(5 - bits) & 31)]) }
        return String(decoding: out, as: UTF8.self) + "@" + (domain.isEmpty ? "localhost" : domain)
    }
}
