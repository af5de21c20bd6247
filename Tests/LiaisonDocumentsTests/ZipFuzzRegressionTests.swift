import Foundation
import LiaisonCore
import LiaisonDocuments
import Testing

/// Inputs scripts/fuzz found (Fuzz/DocumentFuzzer, first byte = reader selector, dropped here).
/// The over-read they caused shows only under AddressSanitizer:
/// `swift test --sanitize=address --filter ZipFuzzRegressionTests`.
@Suite("Attachment readers: fuzz regressions")
struct ZipFuzzRegressionTests {
    /// A zip in a zip whose last deflate chunk is shorter than ZIPFoundation's buffer: zlib read
    /// up to 16 KB past it (heap-buffer-overflow in inflate) before the chunk was padded.
    static let shortLastChunk = "AVBLAwQUAAAACAAASHRd1oPgUagFAACjBQAACgAAAGxldmVsMi56aXABowVc+lBLAwQUAAAACAAASHRdazHeiyUFAACiBQAADgAAAEM0LTE4Nzc3Ny5kb2N4C/BmZhFhYGDgYPBgia0ozDO+/gLIW8vIwCAMpKOd8/NKUvNK4kMqC1KLY/UqcnNqA076HTYQ+CuavU6j8EGDQNdl5tOCFlP4JW5OPrLKvPLOpX+2ftFVDq2Pz0R//XX1nvXGxWfM2Fi357I3NfUda/M8+PzX1kqGg6zNjuLMmhYCh7NeXG930VlltqFp55QvGqqvZ9oUSQu3dvUYVut8PTPZZ4W5xcQ9r3dVr0zWEPEKFuOX+JUuVfi6q+Lm9e8r3dWOK8zzO6LqzbjsyZpjQYU7uZ+FexX7Zaz+dOLhTbV9K1kmQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQBpAQEBAQEBAQIQLiz1537D53V6+yWsVPzbu3LNwvc5P0c0T1V6tXX/qW/1sbdvHFlG+4n8fTSu6ciQ6/Pu6vQpyuT9e6vcX898PQAmY2X/NX60F8jSBAcMNpOOLUnOK9fVAZO95a75DBjxsD1a73MuMYmsJuKzHsVJbi32DkPnaDDmvQ4u3qzMzu/L0bKuvn/b6W2Za2XIB9XTWEFfOnjUlWZuiDiy1z/12IMlpdUHZNBYdkYW5r4zPzvjkJaMuH2mWI2Kw7An/HHfLSQcjLPzN/NnEeZbFsJ21PaWd9ej2pjsfP2QeuJUyV0jAKpTxtbj//xt5Emqe7ur5bTm/Ch9pT0zlmTWpoZ27a3X57hM6H5Y9W3RkPjwvdHI+Cjx0cj48dGQ+UHVycG9zZTo8L3RkPjx0ZD5Gb3Igzb9lIPBPe/kbbcUlSzsWOZ1+0W01VXzqhro5fU8Yuo+cy2E/tf9+66Wy11q+pVpvmc0snp0sfv7Z9vzNn8nTDrVtEfQq27vh3oeGlDVCitNj88Vif+fy97jOTFilUrpXVvL9nvJtb1W09IwmiUk4zDq37fXaNWetHRMeiaZmvNJSP3lezCs94+fyOLbopZNjVs/oSfyjw9sn1Rs2YeGEOE7L8JNf5nwuuvB0g/v7GTLJdaXrTk64N+G69b6ZPgqz7v1o5pDLm2WgsomHI/7W2s0N/69qu//tavr84O2l3weal8lv85+1/KG8wcHGS/aVvFO3zDJYe5BBVS2ieUNq+IPDgc3L8113Pc5PvM1rI2S21G/rj3fLDOa5LlA5U8GqpunVtO9ISXpL4eJSf7XwSwIRoRPnvPdSUDUJNT6sUXejKPnDgi9SebqpopYx/vVn1CavlO5cqVUSY8rdvOJlxJxQ/v/ftHa1nX544e3X5h//r9xr0Lc5JqZ2x2Hqmx2NPQa/W4qbq88UL9UVvdV7bOr5XovWukkfJq300NjmG79fYJdF3LPKlQx9S32NGKdYX5hSzP1ULWzn9TeiT/wWPEg2NgjQ8XFaFLqLLVVMYv+dwhsFjtc4yn/VnjbdpLV1U1aYu87BPJlDVj2RTw19H07yWeOa11p8cNrVZZnKGd6cKlLi1+JTZ87/8DzlpXjlSi07uZCj+SY/3ght0J6SzXz+u8wN8Q9SBz/v2yU9fbHVl8dGYo8lfJbEWepu1SpyV/rrWGItV3vINo575pLUtf91Tty4b5QmGhFzOfjasyznDQpezyTWO3rUdRSu4cqU/Sl//aGQbmPUgQ65twfj9lZoX/9i5JIavq3cP2fRLJuv3U/vy7063ME/J3JGwqyD4Y92RzbPXPzKrtW8Pnme3Rl1mwLvu79UaXRsZTogTFMgb24gWQ0KUHVycG9zZTogRm9yIGFjdGlvbg0KhBl3oQYDDYwM2Is4dAPQMz/CAElGlKIAXSN6/kJofM+IJbcFeLOygaSZgXAnkL7MAuIBAFBLAQIUAxQAAAAIAABIdF1rMd6LJQUAAKIFAAAOAAAAAAAAAAAAAACAAQAAAABDNC0xODc3NzcuZG9jeFBLBQYAAAAAAQABADwAAABRBQAAAABQSwECFAMUAAAACAAASHRd1oPgUagFAACjBQAAJQAAAAAAAAAAAAAAgAEAAAAAbGV2ZWwyLnppcFBLBQYAAAAAAQABADgAAADQBQAAAAA="

    @Test("A short last deflate chunk is read inside its buffer, with the same result every time")
    func shortLastChunk() throws {
        let input = try #require(Data(base64Encoded: Self.shortLastChunk))
        let bytes = Array(input.dropFirst())
        let reader = DocumentTextReader(pdf: nil)
        let first = reader.read(bytes, filename: "statement.zip", contentType: "")
        let second = reader.read(bytes, filename: "statement.zip", contentType: "")
        #expect(first == second)
        #expect(first.text != nil || !first.problems.isEmpty)
    }
}
