import Testing
import Views

@Suite("The plans' rich text")
struct RichTextTests {
    func html(_ text: String) -> String { RichText.html(text).description }

    @Test("headings, lists, paragraphs with line breaks, bold and italic")
    func blocks() {
        let text = """
            # Relocation
            Assemble at the delegation.
            Bring your grab bag.

            ## Routes
            - Kassala – Port Sudan
            - Port Sudan – **Jeddah** by sea
            1. Call the duty officer
            2. Wait for *written* confirmation
            """
        #expect(
            html(text) == "<h3>Relocation</h3><p>Assemble at the delegation.<br>Bring your grab bag.</p><h4>Routes</h4>"
                + "<ul><li>Kassala – Port Sudan</li><li>Port Sudan – <strong>Jeddah</strong> by sea</li></ul>"
                + "<ol><li>Call the duty officer</li><li>Wait for <em>written</em> confirmation</li></ol>")
    }

    @Test("headings never skip a level, whatever the author typed; the first level follows the page's")
    func headingOrder() {
        #expect(html("### Deep first\n# Top\n### Two below") == "<h3>Deep first</h3><h3>Top</h3><h4>Two below</h4>")
        #expect(
            RichText.html("# Key messages\n### Ask", topLevel: 2).description == "<h2>Key messages</h2><h3>Ask</h3>")
        #expect(html("# a\n## b\n### c\n### d") == "<h3>a</h3><h4>b</h4><h5>c</h5><h5>d</h5>")
    }

    @Test("every character of the text is escaped; no HTML, link or attribute gets through")
    func escaping() {
        #expect(
            html("<script>alert(1)</script> & \"x\"")
                == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</p>")
        #expect(html("**<b onclick=\"x\">**") == "<p><strong>&lt;b onclick=&quot;x&quot;&gt;</strong></p>")
        #expect(html("[click](javascript:alert(1))") == "<p>[click](javascript:alert(1))</p>")
        #expect(html("# <img src=x>") == "<h3>&lt;img src=x&gt;</h3>")
    }

    @Test("unclosed or empty markers stay as written; Arabic text passes unchanged")
    func edges() {
        #expect(html("5 * 3 = 15") == "<p>5 * 3 = 15</p>")
        #expect(html("**not closed") == "<p>**not closed</p>")
        #expect(html("****") == "<p>****</p>")
        #expect(html("- نقطة التجمع: **المكتب**") == "<ul><li>نقطة التجمع: <strong>المكتب</strong></li></ul>")
        #expect(html("2024. A year, not a list item") == "<p>2024. A year, not a list item</p>")
    }
}
