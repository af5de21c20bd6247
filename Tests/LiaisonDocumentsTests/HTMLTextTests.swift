import LiaisonCore
import LiaisonDocuments
import Testing

/// The HTML reader: what it keeps, and that hostile markup costs linear time (scripts/fuzz found
/// 28 KB of `<style>` taking 9 s in the regular-expression version; these inputs took minutes).
@Suite("HTML attachment text")
struct HTMLTextTests {
    let reader = DocumentTextReader(pdf: nil)

    func html(_ text: String) -> String? {
        reader.read(Array(text.utf8), filename: "statement.html", contentType: "text/html").text
    }

    @Test("Elements, comments and tags become text as before: breaks, block ends, cells, references")
    func reduction() {
        #expect(html("<head><title>x</title></head><p>One<br>two<BR />three</P><script>alert(1)</script >") == "One\ntwo\nthree\n")
        #expect(html("<table><tr><td> A </td><td>B &amp; C</td></tr></table>") == "A\tB & C\t\n")
        #expect(html("a<!-- hidden -->b <style>p{}</style>c") == "ab c")
        #expect(html("&#233;&#x41;&lt;&nbsp;x") == "éA< x")
        // Numeric references are decoded before named ones, as the patterns were applied.
        #expect(html("&#38;lt; &amp;lt; &#38;#x41;") == "< &lt; A")
        // A tag that never closes is text; an element without its end tag is kept.
        #expect(html("a < b") == "a < b")
        #expect(html("<style>p{} text") == "p{} text")
        #expect(html("x <!-- open") == "x <!-- open")
    }

    @Test(
        "Hostile markup is read in linear time: thousands of unclosed elements, comments and tags",
        .timeLimit(.minutes(1)),
        arguments: ["<style>", "<!--", "<", "<script ", "</p ", "<br ", "</td", "<head>x</hea"])
    func hostile(piece: String) throws {
        let text = String(repeating: piece, count: 200_000 / piece.utf8.count)
        let result = reader.read(Array(text.utf8), filename: "statement.html", contentType: "text/html")
        #expect(result.text != nil)
        #expect(result.text?.count ?? 0 <= DocumentTextReader.Limits().textCharacters)
    }
}
