/// A small UTF-7 (RFC 2152) decoder, used when the C library's iconv has no
/// UTF-7 converter.
enum UTF7 {
    /// Decodes UTF-7; `nil` when the input is not valid UTF-7.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(input.count)
        var i = 0
        let n = input.count
        while i < n {
            let c = input[i]
            if c >= 0x80 { return nil }
            if c != UInt8(ascii: "+") {
                units.append(UInt16(c))
                i += 1
                continue
            }
            i += 1
            if i < n && input[i] == UInt8(ascii: "-") {
                units.append(UInt16(UInt8(ascii: "+")))
                i += 1
                continue
            }
            // Modified base64 run of UTF-16 code units, no padding.
            var acc: UInt32 = 0
            var bits = 0
            while i < n {
                let v = Base64.decodeTable[Int(input[i])]
                guard v < 64 else { break }
                acc = acc << 6 | UInt32(v)
                bits += 6
                if bits >= 16 {
                    bits -= 16
                    units.append(UInt16(truncatingIfNeeded: acc >> UInt32(bits)))
                    acc &= (1 << UInt32(bits)) - 1
                }
                i += 1
            }
            if i < n && input[i] == UInt8(ascii: "-") { i += 1 }  // the terminator is absorbed
        }
        var result = ""
        var sawError = false
        // A lone surrogate means the input was not UTF-7.
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): result.unicodeScalars.append(s)
            case .emptyInput: break loop
            case .error:
                sawError = true
                break loop
            }
        }
        return sawError ? nil : result
    }
}
